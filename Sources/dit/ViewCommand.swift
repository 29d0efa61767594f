// `dit view`: an image or a grid of images (.npy as `dit sample` writes them, or PNG) printed to
// the terminal in real pixels (kitty, sixel, iTerm2) or half blocks, like chafa or viu, with the
// explorer's encoders. Pixels are enlarged by whole numbers only, so each stays a square.
import ArgumentParser
import DiT
import DiTRender
import Foundation

struct View: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print an image or a grid of images (.npy or PNG) to the terminal, in real pixels where it can.",
        discussion: """
        A .npy holds (H, W), (C, H, W) or (N, C, H, W) values in [-1, 1] (what `dit sample --output` \
        and the explorer's `o` write; C = 3 is RGB, otherwise the first channel in grey); N images \
        make a grid as `dit sample --grid` draws it, or --index picks one. A trajectory (frames, N, \
        C, H, W) from `dit sample --trajectory` shows up to 10 frames from x_T to the end, one row \
        per sample (--index: one sample). Pixels are enlarged by \
        the largest whole number that fits the width (--width, else the terminal's) and the \
        terminal's height; without a terminal, 80 × 24 cells of 10 × 20 pixels are assumed.
        Examples:
          dit view samples.npy --index 3
          dit view grid.png --graphics sixel > grid.six
          dit view x0.npy --graphics cells --width 64
        """)

    @Argument(help: ArgumentHelp("A NumPy .npy array or a PNG image.", valueName: "file")) var file: String
    @Option(parsing: .unconditional, help: ArgumentHelp("Show only image N of an (N, C, H, W) array (0-based).", valueName: "N")) var index: Int?
    @Option(help: ArgumentHelp("Width to fill, in terminal columns (default: the terminal's).", valueName: "cols")) var width: Int?
    @Option(help: ArgumentHelp("Enlarge each image pixel exactly k times instead of fitting (cells: k columns).", valueName: "k")) var scale: Int?
    @OptionGroup var graphicsOptions: GraphicsOptions
    @Option(help: "Colours of half blocks: auto, truecolor, 256 or ascii.") var color: ColorChoice = .auto

    /// Sizes assumed when stdout is not a terminal.
    static let defaultWindow = (cols: 80, rows: 24), defaultCell = CellGeometry(width: 10, height: 20)

    func validate() throws {
        if let width, !(1...10_000).contains(width) { throw ValidationError("--width must be 1…10000 columns, found \(width)") }
        if let scale, !(1...64).contains(scale) { throw ValidationError("--scale must be a whole number 1…64, found \(scale)") }
        if let index, index < 0 { throw ValidationError("--index must be ≥ 0, found \(index)") }
    }

    func run() throws {
        if graphicsOptions.report() { return }
        let image = try Self.load(file, index: index)
        let decision = graphicsOptions.decide()
        let window = GraphicsProbe.window()
        let cols = width ?? window?.cols ?? Self.defaultWindow.cols
        let rows = width != nil ? Int.max / 64 : max(1, (window?.rows ?? Self.defaultWindow.rows) - 1)   // the prompt's row
        var out: [UInt8]
        if let pixels = decision.pixels {
            let cell = decision.cellSize ?? Self.defaultCell
            let k = scale ?? cell.zoom(width: image.width, height: image.height, cols: cols, rows: rows)
            let shown = k >= 1 ? image.scaled(by: k) : Self.shrunk(image, toWidth: cols * cell.width, height: rows.multipliedReportingOverflow(by: cell.height).partialValue)
            out = pixels.encode(shown, id: 1, keepCursor: false, passthrough: decision.passthrough, maxColors: decision.maxColors)
            out += Array("\n".utf8)
        } else {
            let px = scale.map { (image.width * $0, image.height * $0) } ?? Blit.fit(width: image.width, height: image.height, cols: cols, rows: rows)
            let (c, r) = Blit.cells(width: px.0, height: px.1)
            var canvas = Canvas(width: c, height: r)
            // The picture is the content, not decoration: NO_COLOR does not turn it into ASCII (--color ascii does).
            var env = ProcessInfo.processInfo.environment
            env["NO_COLOR"] = nil
            let mode = color.mode(env)
            Blit.draw(image.resized(width: px.0, height: px.1), into: &canvas, x: 0, y: 0, mode: mode)
            out = Array(canvas.ansi(mode: mode).utf8)
        }
        FileHandle.standardOutput.write(Data(out))
    }

    /// Fits an image too big for any whole-number zoom into w × h pixels (area average).
    static func shrunk(_ r: Raster, toWidth w: Int, height h: Int) -> Raster {
        let s = min(Double(w) / Double(r.width), Double(h) / Double(r.height))
        return r.resized(width: max(1, Int(Double(r.width) * s)), height: max(1, Int(Double(r.height) * s)))
    }

    /// The file as one raster: a PNG as it is, a .npy's images (or image `index`) as a grid.
    static func load(_ path: String, index: Int?) throws -> Raster {
        let magic = [UInt8]((try FileRead.contents(path, "a .npy array or a PNG image", mapped: true)).prefix(8))
        if magic.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            if index != nil { throw DiTError(file: path, field: "--index", "expected a .npy array of several images; a PNG is one image") }
            let png = try PNG.read(path)
            return Raster(width: png.width, height: png.height) { x, y in
                let i = 3 * (y * png.width + x)
                return RGB(png.pixels[i], png.pixels[i + 1], png.pixels[i + 2])
            }
        }
        guard magic.starts(with: [0x93] + Array("NUMPY".utf8)) else {
            throw DiTError(file: path, field: "format", "expected a NumPy .npy array (\\x93NUMPY) or a PNG image (\\x89PNG)")
        }
        var x = try readArray(path, flag: "file"), columns: Int?
        if x.shape.count == 5 { (x, columns) = try TrajectoryFrames.grid(x, index: index, file: path) }   // dit sample --trajectory
        let s = x.shape
        guard (2...4).contains(s.count), s.allSatisfy({ $0 >= 1 }) else {
            throw DiTError(file: path, field: "shape", "expected (H, W), (C, H, W), (N, C, H, W) or a trajectory (frames, N, C, H, W) with every size ≥ 1, found \(s)")
        }
        let nchw = Array(repeating: 1, count: 4 - s.count) + s   // (H, W) -> (1, 1, H, W)
        guard nchw[2] <= PNG.maxSide, nchw[3] <= PNG.maxSide else {
            throw DiTError(file: path, field: "shape", "expected images of at most \(PNG.maxSide) pixels a side, found \(s)")
        }
        x.reshape(nchw)
        var images = x
        if let index, columns == nil {
            guard index < nchw[0] else {
                throw DiTError(file: path, field: "--index", "expected 0…\(nchw[0] - 1) for its \(nchw[0]) image(s) of shape \(s), found \(index)")
            }
            let one = nchw[1] * nchw[2] * nchw[3]
            images = Tensor([1] + nchw.dropFirst())
            images.data.update(from: x.data + index * one, count: one)
        }
        let g = PNG.grid(images, columns: columns)
        let single = images.shape[0] == 1   // one image: no make_grid border
        let pad = single ? 2 : 0
        return Raster(width: g.width - 2 * pad, height: g.height - 2 * pad) { px, py in
            let i = ((py + pad) * g.width + px + pad) * g.channels
            return g.channels == 3 ? RGB(g.pixels[i], g.pixels[i + 1], g.pixels[i + 2]) : RGB(g.pixels[i], g.pixels[i], g.pixels[i])
        }
    }
}

extension ColorChoice {
    /// The colour mode asked for: auto is ASCII under NO_COLOR, truecolour when COLORTERM says so, else 256.
    func mode(_ env: [String: String]) -> ColorMode {
        switch self {
        case .auto:
            if !(env["NO_COLOR"] ?? "").isEmpty { return .ascii }
            return ["truecolor", "24bit"].contains(env["COLORTERM"] ?? "") ? .truecolor : .palette256
        case .truecolor: return .truecolor
        case .palette256: return .palette256
        case .ascii: return .ascii
        }
    }
}
