// Decodable types read through the strict JSON reader: a number that does not fit its field
// (2.5 or 1e400 for an Int, 1e39 for a Float) is a typeMismatch at that field's coding path,
// where Foundation's JSONDecoder on Linux says only "not valid JSON"; duplicate keys are refused.
import Foundation

public struct JSONValueDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try ValueDecoder(value: JSON.parse(bytes), codingPath: []).unbox(type)
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String, intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}

private struct ValueDecoder: Decoder {
    let value: JSON
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch(_ type: Any.Type, _ what: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(what), found \(value.kind)"))
    }

    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard let text = value.int.map(String.init), let n = I(text) else { throw mismatch(type, "an integer in \(I.min)…\(I.max)") }
        return n
    }

    func unbox<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is Bool.Type:
            guard let b = value.bool else { throw mismatch(type, "true or false") }
            return b as! T
        case is String.Type:
            guard let s = value.string else { throw mismatch(type, "a string") }
            return s as! T
        case is Double.Type:
            guard let d = value.double else { throw mismatch(type, "a finite number") }
            return d as! T
        case is Float.Type:
            guard let d = value.double, Float(d).isFinite else { throw mismatch(type, "a finite Float") }
            return Float(d) as! T
        case let i as any FixedWidthInteger.Type:
            return try integer(i) as! T
        default:
            return try T(from: self)
        }
    }

    func container<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
        guard let o = value.object else { throw mismatch([String: Any].self, "an object") }
        return KeyedDecodingContainer(Keyed<K>(object: o, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard let a = value.array else { throw mismatch([Any].self, "an array") }
        return Unkeyed(array: a, codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { Single(decoder: self) }
}

private struct Keyed<K: CodingKey>: KeyedDecodingContainerProtocol {
    let object: [String: JSON]
    let codingPath: [CodingKey]
    var allKeys: [K] { object.keys.compactMap { K(stringValue: $0) } }

    func contains(_ key: K) -> Bool { object[key.stringValue] != nil }

    func child(_ key: K) throws -> ValueDecoder {
        guard let v = object[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return ValueDecoder(value: v, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: K) throws -> Bool {
        if case .null = try child(key).value { return true }
        return false
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: K) throws -> T { try child(key).unbox(type) }
    func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: K) throws -> KeyedDecodingContainer<N> {
        try child(key).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: K) throws -> UnkeyedDecodingContainer { try child(key).unkeyedContainer() }
    func superDecoder() throws -> Decoder { ValueDecoder(value: .object(object), codingPath: codingPath) }
    func superDecoder(forKey key: K) throws -> Decoder { try child(key) }
}

private struct Unkeyed: UnkeyedDecodingContainer {
    let array: [JSON]
    let codingPath: [CodingKey]
    var currentIndex = 0
    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    mutating func next() throws -> ValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "expected more elements"))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(value: array[currentIndex], codingPath: codingPath + [AnyKey(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = array[currentIndex] else { return false }
        currentIndex += 1
        return true
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().unbox(type) }
    mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { try next() }
}

private struct Single: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [CodingKey] { decoder.codingPath }
    func decodeNil() -> Bool { if case .null = decoder.value { return true }; return false }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.unbox(type) }
}
