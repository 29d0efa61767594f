import ArgumentParser
import DiT
import DiTRender
import Foundation

struct Grid: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A contact sheet: one sample per cell, two settings varied along the rows and the columns.",
        discussion: """
        --rows and --cols each take AXIS=V1,V2,… with AXIS one of class, seed, cfg, steps, sampler, \
        nfe, ablate, model (two different axes). Every cell starts from its seed's x_T and takes the \
        base flags (--class, --seed, --cfg, --steps, --sampler, …) except for its row's and column's \
        values. nfe picks the most steps whose network evaluations do not exceed it (heun: 2·steps − 1). \
        ablate takes 'none' or specs joined by '+' (block.3+head.2.1, see --ablate of `dit sample`). \
        model takes model directories of one image shape. Writes the captioned PNG and, beside it, \
        the samples as .npy (rows, cols, C, H, W) (sheet.png -> sheet.npy). A latent model's cells \
        show its latents' first channel; decode the .npy with `dit decode`.
        Example:
          dit grid --model assets/models/dit-s8-fashion --rows cfg=1,2,4 --cols class=0,3,5,7 --output sheet.png
        """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(help: ArgumentHelp("The axis down the rows and its values.", valueName: "AXIS=V1,V2,…")) var rows: String
    @Option(help: ArgumentHelp("The axis along the columns and its values.", valueName: "AXIS=V1,V2,…")) var cols: String
    @Option(help: ArgumentHelp("The contact sheet PNG (the samples go to the same name with .npy).", valueName: "sheet.png")) var output: String
    @Option(help: "Each image pixel drawn as K × K pixels (1…16).") var scale: Int = 3
    @Option(name: .customLong("class"), help: "Base class label (index or name).") var label: String = "0"
    @Option(help: "Base seed of the noise generator.") var seed: UInt64 = 0
    @Option(help: "Base classifier-free guidance scale (1 = no guidance).") var cfg: Float = 4
    @Option(help: "Base number of sampling steps.") var steps: Int = 25
    @OptionGroup var solver: SolverOptions

    static let maxCells = 1024
    static let maxPixels = 1 << 26

    func validate() throws {
        guard (output as NSString).pathExtension.lowercased() == "png" else { throw ValidationError("--output must end in .png, found '\(output)'") }
        guard (1...16).contains(scale) else { throw ValidationError("--scale must be in 1…16, found \(scale)") }
    }

    var arrayPath: String { (output as NSString).deletingPathExtension + ".npy" }

    func run() throws {
        try checkOutput(output, flag: "--output")
        try checkOutput(arrayPath, flag: "--output")
        let rowAxis = try GridAxis(rows, flag: "--rows"), colAxis = try GridAxis(cols, flag: "--cols")
        guard rowAxis.kind != colAxis.kind else {
            throw DiTError(file: "--cols", field: cols, "expected another axis than --rows' \(rowAxis.kind.rawValue)")
        }
        guard rowAxis.values.count * colAxis.values.count <= Self.maxCells else {
            throw DiTError(file: "--cols", field: cols, "expected at most \(Self.maxCells) cells, found \(rowAxis.values.count) × \(colAxis.values.count)")
        }
        var models: [String: DiTModel] = [:]
        func model(_ path: String) throws -> DiTModel {
            if let m = models[path] { return m }
            let m = try DiTModel(directory: path)
            models[path] = m
            return m
        }
        let base = GridCellSpec(model: try modelOptions.resolved(), label: label, seed: seed, cfg: cfg, steps: steps, sampler: solver.sampler)
        // Each axis value on the base alone first, so that a bad one is named by its flag before any sampling.
        var shape: [Int]?
        for axis in [rowAxis, colAxis] {
            for v in axis.values {
                try naming(axis.flag, "\(axis.kind.rawValue)=\(v)") {
                    var spec = base
                    try spec.set(axis.kind, v, flag: axis.flag)
                    let m = try model(spec.model)
                    let s = [m.config.inChannels, m.config.inputSize, m.config.inputSize]
                    if let shape, shape != s { throw DiTError(file: spec.model, field: "input_size", "expected the image shape \(shape) of the first model, found \(s)") }
                    shape = s
                    _ = try spec.resolve(m, solver: solver, clip: clip(spec.model))
                }
            }
        }
        let cells = try rowAxis.values.map { r in
            try colAxis.values.map { c -> (model: DiTModel, settings: SamplerSettings, nfe: Int, asked: Int?) in
                try naming("--rows/--cols", "\(rowAxis.kind.rawValue)=\(r), \(colAxis.kind.rawValue)=\(c)") {
                    var spec = base
                    try spec.set(rowAxis.kind, r, flag: "--rows")
                    try spec.set(colAxis.kind, c, flag: "--cols")
                    let m = try model(spec.model)
                    let (s, nfe) = try spec.resolve(m, solver: solver, clip: clip(spec.model))
                    return (m, s, nfe, spec.nfe)
                }
            }
        }
        guard let shape else { return }
        let side = shape[2] * scale, pixels = rowAxis.values.count * colAxis.values.count * side * side
        guard pixels <= Self.maxPixels else {
            throw DiTError(file: "--scale", field: "\(scale)", "the sheet would hold \(pixels) image pixels; expected at most \(Self.maxPixels) (a smaller --scale or fewer values)")
        }
        let per = shape.reduce(1, *)
        let samples = Tensor([rowAxis.values.count, colAxis.values.count] + shape)   // (rows, cols, C, H, W)
        for (i, row) in cells.enumerated() {
            for (j, cell) in row.enumerated() {
                let x0 = try Sampler(model: cell.model, settings: cell.settings, noise: NoiseSource(seed: cell.settings.seed)).run()   // (1, C, H, W)
                try checkFinite(x0, "the sample of row \(i + 1), column \(j + 1)")
                (samples.data + (i * colAxis.values.count + j) * per).update(from: x0.data, count: per)
            }
        }
        let config = models[base.model]?.config
        func captions(_ a: GridAxis) -> [String] { a.values.map { GridCellSpec.caption(a.kind, $0, config: config) } }
        let fixed: [(GridAxisKind, String)] = [(.sampler, solver.sampler.rawValue), (.steps, "\(steps) steps"), (.cfg, "CFG \(cfg)"),
                                               (.class, "class \(label)"), (.seed, "seed \(seed)")]
        let title = "rows: \(rowAxis.kind.rawValue), columns: \(colAxis.kind.rawValue); "
            + fixed.filter { ![rowAxis.kind, colAxis.kind].contains($0.0) && !($0.0 == .steps && [rowAxis.kind, colAxis.kind].contains(.nfe)) }
                .map(\.1).joined(separator: ", ")
        let sheet = ContactSheet.compose(UnsafeBufferPointer(start: samples.data, count: samples.count), shape: samples.shape, scale: scale,
                                         rowLabels: captions(rowAxis), columnLabels: captions(colAxis), title: title)
        try NPY.write(samples, to: arrayPath)
        try writePNG(sheet, to: output)
        for (i, row) in cells.enumerated() {
            for (j, cell) in row.enumerated() where cell.asked.map({ $0 != cell.nfe }) ?? false {
                print("note: row \(i + 1), column \(j + 1): \(cell.settings.kind.rawValue) takes \(cell.nfe) network evaluations (\(cell.settings.steps) steps)")
            }
        }
        wrote(output, "\(rowAxis.values.count) × \(colAxis.values.count) samples, \(sheet.width)×\(sheet.height) pixels")
        wrote(arrayPath, "\(samples.shape)")
    }

    /// Pixel models clip x̂0 as `dit sample` does; a pipeline folder with vae/ does not.
    func clip(_ path: String) -> Bool { AutoencoderKL.vaeFolder(path) == path }
}

/// A raster as an 8-bit RGB PNG.
func writePNG(_ r: Raster, to path: String) throws {
    try PNG.write(pixels: r.rgbBytes, width: r.width, height: r.height, channels: 3, to: path)
}
