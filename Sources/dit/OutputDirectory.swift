import DiT
import Foundation

/// A directory outputs go into (--export-dir): present, a directory, writable; checked before
/// any work, naming the flag.
func checkDirectory(_ path: String, flag: String) throws {
    guard !path.isEmpty else { throw DiTError(file: flag, "expected a directory, found an empty path") }
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
        throw DiTError(file: path, field: flag, "the directory does not exist")
    }
    guard isDir.boolValue else { throw DiTError(file: path, field: flag, "is a file; expected a directory") }
    guard FileManager.default.isWritableFile(atPath: path) else { throw DiTError(file: path, field: flag, "the directory is not writable") }
}
