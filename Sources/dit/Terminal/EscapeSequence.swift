// What ncurses leaves undecoded after Esc: nothing (a lone Esc), Alt-x, or a sequence the
// terminfo entry does not list (under tmux with TERM=xterm-256color, Home is \e[1~). Known
// sequences become keys; anything else is ignored, never read as Esc (which goes back).
import DiTExplorer

enum EscapeSequence {
    /// The key meant by ESC followed by `rest` (what arrived with it); nil: unknown, ignore it.
    static func key(after rest: [Character]) -> Key? {
        if rest.isEmpty { return .escape }
        switch String(rest) {
        case "[A", "OA": return .up
        case "[B", "OB": return .down
        case "[C", "OC": return .right
        case "[D", "OD": return .left
        case "[1~", "[7~", "[H", "OH": return .home
        case "[4~", "[8~", "[F", "OF": return .end
        case "[5~": return .pageUp
        case "[6~": return .pageDown
        case "[Z": return .backTab
        default: return nil
        }
    }

    /// Whether `rest` is a whole sequence: CSI (ESC [) ends at a byte in @…~, SS3 (ESC O) after
    /// one more character, anything else (Alt-x) after its one character.
    static func isComplete(_ rest: [Character]) -> Bool {
        guard let first = rest.first else { return false }
        switch first {
        case "[":
            guard rest.count > 1, let last = rest.last?.unicodeScalars.first?.value else { return false }
            return (0x40...0x7E).contains(last) && !(rest.count == 2 && last == 0x5B)   // ESC [ [ A: Linux console F1
        case "O": return rest.count >= 2
        default: return true
        }
    }

    /// The longest sequence read before giving up on it.
    static let maxLength = 16
}
