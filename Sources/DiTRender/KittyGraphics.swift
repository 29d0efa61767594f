// Raster -> the kitty graphics protocol (kitty, Ghostty, WezTerm, Konsole): APC G sequences,
// ESC _ G key=value,… ; base64 payload ESC \, the payload split into chunks of 4096 base64 bytes
// (m=1: more follows). Pixels go as 24-bit RGB (f=24, s × v), so the terminal shows exactly the
// bytes sent: a whole-number zoom is done here, not by the terminal's own scaling.
import Foundation

public enum KittyGraphics {
    /// Transmit and display (a=T) `r` at the cursor as image `id`. q=2: the terminal sends no
    /// reply (it would arrive as keys); C=1 keeps the cursor where it was (inside curses).
    public static func display(_ r: Raster, id: UInt32, keepCursor: Bool, passthrough: Bool = false) -> [UInt8] {
        var rgb = [UInt8](); rgb.reserveCapacity(r.pixels.count * 3)
        for p in r.pixels { rgb += [p.r, p.g, p.b] }
        let payload = Array(Data(rgb).base64EncodedString().utf8)
        let control = "a=T,f=24,s=\(r.width),v=\(r.height),i=\(id),q=2" + (keepCursor ? ",C=1" : "")
        var out = [UInt8]()
        var start = 0
        repeat {
            let end = min(payload.count, start + 4096)
            let keys = (start == 0 ? control + "," : "") + "m=\(end < payload.count ? 1 : 0)"
            out += TmuxPassthrough.wrap(Array("\u{1B}_G\(keys);".utf8) + payload[start..<end] + Array("\u{1B}\\".utf8), passthrough)
            start = end
        } while start < payload.count
        return out
    }

    /// Deletes image `id` and frees its data (d=I).
    public static func delete(id: UInt32, passthrough: Bool = false) -> [UInt8] {
        TmuxPassthrough.wrap(Array("\u{1B}_Ga=d,d=I,i=\(id),q=2\u{1B}\\".utf8), passthrough)
    }

    /// The support query (a=q) of a 1×1 RGB image: a kitty-protocol terminal answers
    /// ESC _ G i=31;OK ESC \ and draws nothing; others ignore it.
    public static let queryID = 31
    public static func query(passthrough: Bool) -> [UInt8] {
        TmuxPassthrough.wrap(Array("\u{1B}_Gi=\(queryID),s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\".utf8), passthrough)
    }
}

/// tmux forwards a sequence to the outer terminal only inside DCS tmux; … ST with every ESC
/// doubled, and only with `set -g allow-passthrough on` (tmux ≥ 3.3).
public enum TmuxPassthrough {
    public static func wrap(_ sequence: [UInt8], _ on: Bool) -> [UInt8] {
        guard on else { return sequence }
        var out = Array("\u{1B}Ptmux;".utf8)
        for b in sequence { out.append(b); if b == 0x1B { out.append(0x1B) } }
        return out + Array("\u{1B}\\".utf8)
    }
}
