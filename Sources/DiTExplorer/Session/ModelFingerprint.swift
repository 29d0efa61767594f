// Which model a recording was made with: FNV-1a 64 over config.json, the shard index and each
// safetensors file's name, size and JSON header (names, dtypes, shapes, offsets). Cheap (the
// weights themselves are not read) and enough to catch another model or another export of it.
import Foundation

public enum ModelFingerprint {
    public static func of(directory: String) -> String {
        let fm = FileManager.default
        var h = FNV1a()
        let files = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        for name in files where name == "config.json" || name.hasSuffix(".index.json") || name.hasSuffix(".safetensors") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let handle = FileHandle(forReadingAtPath: path) else { continue }
            defer { try? handle.close() }
            h.add(bytes: Array(name.utf8))
            if name.hasSuffix(".json") {
                h.add(bytes: handle.readDataToEndOfFile())
                continue
            }
            let size = (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            h.add(bytes: Array(String(size).utf8))
            let lengthBytes = handle.readData(ofLength: 8)
            guard lengthBytes.count == 8 else { continue }
            let length = lengthBytes.reversed().reduce(0) { $0 << 8 | Int($1) }
            h.add(bytes: lengthBytes)
            h.add(bytes: handle.readData(ofLength: min(length, 1 << 24)))
        }
        return String(format: "fnv1a64:%016llx", h.value)
    }
}
