// Performs an export effect: writes the files into the export directory under predictable
// names and returns the status line's report. Failures (an unwritable directory, nothing
// computed yet) become that report too: an export never ends the session.
import DiT
import DiTRender
import Foundation

public enum ExportKind: String, CaseIterable, Sendable {
    case png, gif, npy, ansi
    case sheet   // the sheet's samples are in (W): its PNG and .npy
}

public struct Exporter: Sendable {
    public var directory: String

    public init(directory: String) { self.directory = directory }

    /// Writes `kind` for state `s` (the screen is `screen` cells); returns what was written.
    public func write(_ kind: ExportKind, _ s: ExplorerState, screen: (width: Int, height: Int)) -> String {
        do {
            guard FileManager.default.isWritableFile(atPath: directory) else {
                throw DiTError(file: directory, "the export directory does not exist or is not writable")
            }
            let paths = try files(kind, s, screen: screen)
            let what = kind == .sheet ? s.sheet.plan.map { " (sheet \($0.what))" } ?? "" : ""
            guard paths.count > 1 else { return "wrote " + paths.joined() + what }   // several: the directory once, so the list fits
            return "wrote " + Exporter.grouped(paths.map { ($0 as NSString).lastPathComponent }).joined(separator: ", ") + " in " + directory + what
        } catch is NoPicture {
            return "w: this pane shows no picture (A writes the screen as ANSI, g the trajectory as a GIF)"
        } catch {
            return "export failed: \(error)"
        }
    }

    /// Writes the files; returns their paths.
    func files(_ kind: ExportKind, _ s: ExplorerState, screen: (width: Int, height: Int)) throws -> [String] {
        let seed = "seed\(s.settings.seed)"
        switch kind {
        case .png:
            guard let name = ExportImages.pictureName(s) else { throw NoPicture() }
            let r = ExportImages.pane(s), path = self.path("dit-\(name).png")
            try PNG.write(pixels: r.rgbBytes, width: r.width, height: r.height, channels: 3, to: path)
            return [path]
        case .gif:
            let frames = ExportImages.trajectoryFrames(s)
            guard let first = frames.first else { throw DiTError(file: "trajectory", "no step computed yet: press → or End first") }
            let path = self.path("dit-trajectory-\(seed).gif")
            try GIF.write(rgbFrames: frames.map(\.rgbBytes), width: first.width, height: first.height,
                          delays: frames.indices.map { $0 == frames.count - 1 ? 150 : 10 }, to: path)
            return [path]
        case .npy:
            guard let t = ExportArrays.trajectory(s) else { throw DiTError(file: "trajectory", "no step computed yet: press → or End first") }
            var out = [(t.xt, "dit-trajectory-\(seed)-xt.npy"), (t.predX0, "dit-trajectory-\(seed)-x0.npy"),
                       (t.eps, "dit-trajectory-\(seed)-eps.npy")]
            if let a = ExportArrays.attention(s) { out.append((a, "dit-attention-step\(s.k).npy")) }
            return try out.map { tensor, name in
                let path = self.path(name)
                try NPY.write(tensor, to: path)
                return path
            }
        case .sheet:
            guard let plan = s.sheet.plan, let sheet = Explorer.sheetPicture(s) else {
                throw DiTError(file: "sheet", "no sheet computed yet: press W and wait for it")
            }
            let png = self.path(plan.name + ".png"), npy = self.path(plan.name + ".npy")
            try NPY.write(sheet.samples, to: npy)
            try PNG.write(pixels: sheet.picture.rgbBytes, width: sheet.picture.width, height: sheet.picture.height, channels: 3, to: png)
            return [png, npy]
        case .ansi:
            let path = self.path("dit-screen-step\(s.k).ans")
            let text = Explorer.render(s, width: screen.width, height: screen.height).ansi(mode: s.colorMode)
            do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw DiTError(file: path, "cannot write (\(error.localizedDescription))")
            }
            return [path]
        }
    }

    struct NoPicture: Error {}

    /// Names that differ only after their last "-" written once: "dit-trajectory-seed0-{xt,x0,eps}.npy".
    static func grouped(_ names: [String]) -> [String] {
        func split(_ n: String) -> (stem: String, part: String, ext: String) {
            let ext = (n as NSString).pathExtension, base = (n as NSString).deletingPathExtension
            guard let dash = base.lastIndex(of: "-") else { return (base, "", ext) }
            return (String(base[...dash]), String(base[base.index(after: dash)...]), ext)
        }
        var keys: [String] = [], parts: [String: [String]] = [:]
        for n in names {
            let (stem, part, ext) = split(n), key = stem + "\u{0}" + ext
            if parts[key] == nil { keys.append(key) }
            parts[key, default: []].append(part)
        }
        return keys.map { key in
            let p = parts[key]!, fields = key.components(separatedBy: "\u{0}")
            return fields[0] + (p.count == 1 ? p[0] : "{" + p.joined(separator: ",") + "}") + "." + fields[1]
        }
    }

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
}
