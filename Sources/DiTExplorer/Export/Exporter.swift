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
            let what = kind == .sheet ? s.sheet.plan.map { " (sheet \($0.what))" } ?? "" : ""
            return "wrote " + (try files(kind, s, screen: screen)).joined(separator: ", ") + what
        } catch {
            return "export failed: \(error)"
        }
    }

    /// Writes the files; returns their paths.
    func files(_ kind: ExportKind, _ s: ExplorerState, screen: (width: Int, height: Int)) throws -> [String] {
        let seed = "seed\(s.settings.seed)"
        switch kind {
        case .png:
            let name = ExportImages.pictureName(s)
            let r = ExportImages.pane(s), path = self.path("dit-\(name)-step\(s.k).png")
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

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
}
