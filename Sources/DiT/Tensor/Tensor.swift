// A contiguous row-major Float32 buffer with a shape. Allocated once, reused: the forward pass
// writes into tensors that the RunState built up front (llama2.c's RunState habit).

public final class Tensor: @unchecked Sendable {
    public private(set) var shape: [Int]
    public let count: Int
    public private(set) var data: UnsafeMutablePointer<Float>
    /// False once a packed Linear weight let its F32 values go (packForLinear): `data` is then
    /// one float, and only the panels hold the weight.
    public private(set) var holdsValues = true
    /// This (out, in) Linear weight packed for the GEMM kernel, once, at load (DiTWeights).
    public internal(set) var panels: PackedPanels?
    /// A view's storage: the tensor it looks into (kept alive by the view); nil when this owns its data.
    private let owner: Tensor?

    public init(_ shape: [Int]) {
        self.shape = shape
        self.count = shape.reduce(1, *)
        data = .allocate(capacity: Swift.max(count, 1))
        data.initialize(repeating: 0, count: Swift.max(count, 1))
        owner = nil
    }

    /// The `shape.reduce(1, *)` values of `owner` from `offset` on, as a tensor of its own shape
    /// (writes go to owner): one share of a batch's buffers (RunState's shares).
    init(view owner: Tensor, offset: Int, shape: [Int]) {
        let count = shape.reduce(1, *)
        precondition(owner.holdsValues && offset >= 0 && offset + count <= owner.count, "view \(shape) at \(offset) of \(owner.shape)")
        self.shape = shape
        self.count = count
        data = owner.data + offset
        self.owner = owner
    }

    public convenience init(_ shape: [Int], _ values: [Float]) {
        self.init(shape)
        precondition(values.count == count, "Tensor(\(shape)) given \(values.count) values")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    deinit { if owner == nil { data.deallocate() } }

    /// Frees the values of a weight whose packed panels replace it (the shape and count stay,
    /// for parameter counts and shapes); nothing may read `data` afterwards.
    func releaseValues() {
        guard holdsValues, owner == nil else { return }
        data.deallocate()
        data = .allocate(capacity: 1)
        data.initialize(to: 0)
        holdsValues = false
    }

    /// Bytes this tensor keeps in memory: its F32 values, or its packed panels once released.
    public var residentBytes: Int { holdsValues ? max(count, 1) * 4 + (panels?.bytes ?? 0) : (panels?.bytes ?? 0) + 4 }

    /// The product of `dims`, or nil when a dimension is negative or the product overflows Int:
    /// for sizes read from files, checked before anything is allocated.
    public static func checkedCount(_ dims: [Int]) -> Int? {
        var n = 1
        for d in dims {
            guard d >= 0 else { return nil }
            let (m, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = m
        }
        return n
    }

    public var array: [Float] {
        precondition(holdsValues, "a packed Linear weight's values are in its panels (panels.value(row:col:))")
        return Array(UnsafeBufferPointer(start: data, count: count))
    }

    public subscript(i: Int) -> Float {
        get { data[i] }
        set { data[i] = newValue }
    }

    /// Same storage, another shape with the same element count.
    public func reshape(_ newShape: [Int]) {
        precondition(newShape.reduce(1, *) == count, "reshape \(shape) -> \(newShape)")
        shape = newShape
    }

    public func copy(from other: Tensor) {
        precondition(other.count == count && holdsValues && other.holdsValues, "copy \(other.shape) -> \(shape)")
        data.update(from: other.data, count: count)
    }

    public func copy() -> Tensor {
        let t = Tensor(shape)
        t.copy(from: self)
        return t
    }

    public func fill(_ v: Float) { data.update(repeating: v, count: count) }

    public var maxAbs: Float {
        var m: Float = 0
        for i in 0..<count { m = Swift.max(m, abs(data[i])) }
        return m
    }

    public var allFinite: Bool {
        for i in 0..<count where !data[i].isFinite { return false }
        return true
    }
}
