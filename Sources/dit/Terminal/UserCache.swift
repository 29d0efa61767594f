// A private per-user cache directory ($XDG_CACHE_HOME/dit, else ~/.cache/dit), for files dit
// trusts when it reads them back (the compiled truecolour terminfo entry). A shared temporary
// path would let another user plant one; here every directory on the way is created 0700 and
// used only while it is owned by this user and writable by no one else.
import Foundation

enum UserCache {
    /// `<cache>/dit/<sub>`, created if needed; nil when it cannot be made private.
    static func directory(_ sub: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let base: String
        if let x = environment["XDG_CACHE_HOME"], x.hasPrefix("/") { base = x }
        else if let home = environment["HOME"], home.hasPrefix("/") { base = home + "/.cache" }
        else { return nil }
        let dir = base + "/dit/" + sub
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var path = base
        for part in ["dit"] + sub.split(separator: "/").map(String.init) {
            path += "/" + part
            if mkdir(path, 0o700) != 0 && errno != EEXIST { return nil }
            guard isPrivate(path) else { return nil }
        }
        return dir
    }

    /// Owned by this user, a real directory (not a symlink), no group or other write access.
    static func isPrivate(_ path: String) -> Bool {
        var st = stat()
        guard lstat(path, &st) == 0 else { return false }
        return (st.st_mode & S_IFMT) == S_IFDIR && st.st_uid == getuid() && st.st_mode & 0o022 == 0
    }
}
