// Key codes as curses reports them, as the explorer's keys: pure, tested without a terminal.
// (Esc starts a sequence the backend reads on: EscapeSequence; resize and mouse are the backend's.)
import CNcurses
import DiTExplorer

enum CursesKeys {
    /// A character from the input (not Esc, 27).
    static func key(character ch: Int32) -> Key? {
        switch ch {
        case 9: return .tab
        case 10, 13: return .enter
        case 127, 8: return .backspace
        default: return UnicodeScalar(UInt32(ch)).map { .char(Character($0)) }
        }
    }

    /// A function key's code (KEY_UP …); nil: one the explorer has no use for.
    static func key(function ch: Int32) -> Key? {
        switch ch {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        default: return nil
        }
    }
}
