// Writes a session recording as it happens, one JSON line per entry, flushed each time: a
// session that ends by a signal or a crash still leaves every action up to then.
import DiT
import Foundation

public final class SessionRecorder {
    let handle: FileHandle
    let path: String
    let encoder = JSONEncoder()

    /// Creates `path` and writes the header.
    public init(path: String, header: SessionHeader) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw DiTError(file: path, "cannot create the session recording")
        }
        self.path = path
        handle = h
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        write(header)
    }

    func write<T: Encodable>(_ value: T) {
        guard var line = try? encoder.encode(value) else { return }
        line.append(0x0A)
        handle.write(line)
    }

    public func record(_ action: Action, at t: Double) { write(SessionEntry(action, at: t)) }

    /// The footer: where the session ended and the checksum of its image.
    public func finish(_ s: ExplorerState, at t: Double) {
        write(SessionFooter(t: t, k: s.k, computed: s.steps.count, checksum: ImageChecksum(s),
                            xt: ImageChecksum.base64(s.xt.values)))
        try? handle.close()
    }
}
