// The private terminfo entry that gives ncurses 24-bit colour on a terminal whose "-direct"
// entry is not installed: written and compiled with tic once, into the user's cache.
import Foundation

enum DirectTerminfo {
    /// A private terminfo entry "dit-direct": $TERM's own capabilities (keys, alternate screen)
    /// plus 24-bit colour, as ncurses' "*-direct" entries define it. Those are often not installed,
    /// and without one ncurses cannot send RGB. Compiled once with tic into the user's private
    /// cache directory (UserCache); nil when tic is missing or fails (256 colours then).
    static func database(for term: String) -> String? {
        guard !term.isEmpty, term.allSatisfy({ $0.isLetter || $0.isNumber || "._+-".contains($0) }) else { return nil }
        guard let dir = UserCache.directory("terminfo/" + term) else { return nil }
        if FileManager.default.fileExists(atPath: dir + "/d/dit-direct") {
            return UserCache.isPrivate(dir + "/d") ? dir : nil   // made by this user, or not used
        }
        let rgb = "%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d"
        let source = """
            dit-direct|\(term) with 24-bit colour for dit,
            \tRGB, colors#0x1000000, pairs#0x10000,
            \tsetaf=\\E[%?%p1%{8}%<%t3%p1%d%e38;2;\(rgb)%;m,
            \tsetab=\\E[%?%p1%{8}%<%t4%p1%d%e48;2;\(rgb)%;m,
            \tuse=\(term),

            """
        let file = dir + "/dit-direct.src"
        do {
            try source.write(toFile: file, atomically: true, encoding: .utf8)
            let tic = Process()
            tic.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tic.arguments = ["tic", "-x", "-o", dir, file]
            tic.standardOutput = FileHandle.nullDevice
            tic.standardError = FileHandle.nullDevice
            try tic.run()
            tic.waitUntilExit()
            guard tic.terminationStatus == 0 else { return nil }
        } catch { return nil }
        return FileManager.default.fileExists(atPath: dir + "/d/dit-direct") ? dir : nil
    }
}
