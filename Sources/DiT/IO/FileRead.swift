// Reading a whole input file, for every reader: only regular files (a FIFO, /dev/zero or a
// directory would hang or fill memory), with a message naming the file and what it should be.
import Foundation

public enum FileRead {
    /// The file's bytes (memory-mapped when `mapped`); `what` says what the file should be.
    public static func contents(_ path: String, _ what: String, mapped: Bool = false) throws -> Data {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw DiTError(file: path, "cannot read \(what) (\(String(cString: strerror(errno))))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw DiTError(file: path, "expected \(what) as a regular file, found a directory or device")
        }
        do { return try Data(contentsOf: URL(fileURLWithPath: path), options: mapped ? .mappedIfSafe : []) } catch {
            throw DiTError(file: path, "cannot read \(what) (\(error.localizedDescription))")
        }
    }
}
