// Options shared by several subcommands, and the helpers that turn files and lists into checked
// values. Every failure names the flag or file and what was expected.
import ArgumentParser
import DiT
import Foundation

struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Model directory: config.json and model.safetensors (or a sharded index).",
                                             valueName: "dir"))
    var model: String?

    /// --model, else $DIT_MODEL, else the best shipped model found beside the program or in the current directory.
    func resolved() throws -> String {
        if let model { return model }
        if let env = ProcessInfo.processInfo.environment["DIT_MODEL"], !env.isEmpty { return env }
        if let found = ShippedModels.best() { return found }
        throw DiTError(file: "--model", "no model given and no shipped model found under assets/models; pass --model DIR")
    }

    /// The model directory when it is a pipeline folder with vae/ (a latent model that brings its decoder).
    func latentPipeline() -> String? {
        guard let dir = try? resolved(), AutoencoderKL.vaeFolder(dir) != dir else { return nil }
        return dir
    }

    func load() throws -> DiTModel {
        let path = try resolved()
        let model = try DiTModel(directory: path)
        warnUnused(path, model.weights.unusedKeys)
        return model
    }
}

/// Keys of a weights file that no parameter reads, on stderr (the model still runs).
func warnUnused(_ path: String, _ keys: [String]) {
    guard !keys.isEmpty else { return }
    FileHandle.standardError.write(Data("dit: warning: \(path): \(keys.count) unknown key(s) ignored: \(keys.prefix(5).joined(separator: ", "))\(keys.count > 5 ? ", …" : "")\n".utf8))
}

/// --vae: a diffusers AutoencoderKL folder, for `dit decode` and `dit encode`.
struct VAEOptions: ParsableArguments {
    @Option(help: ArgumentHelp("VAE directory (diffusers AutoencoderKL: config.json and diffusion_pytorch_model.safetensors, or a sharded index), or a pipeline folder with vae/.",
                               valueName: "dir"))
    var vae: String

    func load() throws -> AutoencoderKL { try openVAE(vae, random: false) }

    /// body(vae, the array in `input`) with `output` checked first and the result checked finite.
    func apply(to input: String, flag: String, output: String, _ what: String,
               _ body: (AutoencoderKL, Tensor) throws -> Tensor) throws -> Tensor {
        try checkOutput(output, flag: "--output")
        let model = try load()
        let result = try body(model, try readArray(input, flag: flag))
        try checkFinite(result, what)
        return result
    }
}

/// --vae for the explorer and the lessons: a latent model's decoder, when not the pipeline's own.
struct LatentVAEOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A latent model's VAE: a diffusers AutoencoderKL folder (default: the pipeline folder's vae/), or 'sd' for the Stable Diffusion KL-f8 with random weights.",
                               valueName: "dir|sd")) var vae: String?
}

/// A VAE folder (or a pipeline folder with vae/), or with `random`, "sd": the Stable Diffusion
/// KL-f8 with random weights (benchmarks, trying the explorer's latent screens).
func openVAE(_ path: String, random: Bool = true) throws -> AutoencoderKL {
    if random && path == "sd" { return try AutoencoderKL(config: .stableDiffusion, reader: WeightReader(randomSeed: 0)) }
    let model = try AutoencoderKL(directory: path)
    warnUnused(model.directory, model.unusedKeys)
    return model
}

/// The sampler and how guidance applies, for `dit sample` and `dit explore`.
struct SolverOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Sampler.", valueName: SamplerKind.allCases.map(\.rawValue).joined(separator: "|")))
    var sampler: SamplerKind = .ddim
    @Flag(help: "Karras et al. (2022) sigmas (dpm++2m, euler, heun).") var karras = false
    @Flag(help: "dpm++2m: clip x̂0 to [-1, 1] (diffusers' thresholding, sample_max_value 1), as DDIM does.")
    var thresholding = false
    @Option(help: ArgumentHelp("Guide only where the model timestep t is in [LO, HI] (0,999 = always).", valueName: "LO,HI"))
    var cfgInterval: String?
    @Option(help: ArgumentHelp("Ramp of the guidance scale over t.", valueName: GuidanceSchedule.allCases.map(\.rawValue).joined(separator: "|")))
    var cfgSchedule: GuidanceSchedule = .constant

    /// The sampler settings with these choices (bounds: Sampler.check).
    func settings(steps: Int, eta: Float, cfgScale: Float, clip: Bool, labels: [Int], seed: UInt64) throws -> SamplerSettings {
        SamplerSettings(kind: sampler, steps: steps, eta: eta, cfgScale: cfgScale, clip: clip, labels: labels, seed: seed,
                        karras: karras, cfgInterval: try cfgInterval.map { try parseInterval($0, flag: "--cfg-interval") },
                        cfgSchedule: cfgSchedule, thresholding: thresholding)
    }
}

/// The shipped checkpoints, assets/models/dit-s*-fashion, in the order the explorer prefers them:
/// S/4 (8 × 8 tokens: readable patch and attention panes, ≈ 80 ms a guided step on two cores),
/// then S/8 (fastest), then S/2 (≈ 250 ms a step).
enum ShippedModels {
    static func roots() -> [String] {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var roots = [FileManager.default.currentDirectoryPath]
        var dir = exe
        for _ in 0..<5 { roots.append(dir.path); dir = dir.deletingLastPathComponent() }  // .build/<triple>/debug/dit -> repo
        return roots
    }

    /// The judge of `dit eval` (the Fashion-MNIST classifier and the real statistics).
    static func judge() -> String? {
        roots().map { "\($0)/assets/models/fashion-classifier" }
            .first { FileManager.default.fileExists(atPath: "\($0)/config.json") }
    }

    /// The shipped models a comparison can take at once: the paper's patch sizes, or its Fig. 5 block designs.
    enum Set: String, CaseIterable, ExpressibleByArgument {
        case sizes, designs
        /// Directory names under assets/models, in the order of the rows.
        var names: [String] {
            switch self {
            case .sizes: return ["dit-s8-fashion", "dit-s4-fashion", "dit-s2-fashion"]   // fastest first
            // Fig. 5's four, alike but the block: trained on the CPU at D 128, 4 blocks, p 8 (training/findings.py)
            case .designs: return Conditioning.allCases.map { "dit-d128-l4-p8-\($0.rawValue.lowercased())" }
            }
        }
    }

    /// The shipped models of a set that are there: `dit compare`'s and the Compare pane's default rows.
    static func all(_ set: Set = .sizes) -> [String] {
        for root in roots() {
            let dirs = set.names.map { "\(root)/assets/models/\($0)" }
                .filter { FileManager.default.fileExists(atPath: "\($0)/config.json") }
            if !dirs.isEmpty { return dirs }
        }
        return []
    }

    static func best() -> String? {
        for root in roots() {
            for name in ["dit-s4-fashion", "dit-s8-fashion", "dit-s2-fashion"] {
                let dir = "\(root)/assets/models/\(name)"
                if FileManager.default.fileExists(atPath: "\(dir)/config.json") { return dir }
            }
        }
        return nil
    }
}

/// "S/2", "DiT-XL/4"… -> the paper's configuration, naming the flag on failure.
func parsePreset(_ name: String, flag: String) throws -> DiTPreset {
    guard let p = DiTPreset(name: name) else {
        throw DiTError(file: flag, field: name, "expected one of \(DiTPreset.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return p
}

/// "500,37" -> [500, 37], naming the flag on failure.
func parseIntList(_ text: String, flag: String) throws -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap { Int($0) }
    guard !parts.isEmpty, values.count == parts.count else {
        throw DiTError(file: flag, field: text, "expected a comma-separated list of integers, e.g. 0,2")
    }
    return values
}

/// "LO,HI" -> LO...HI (model timesteps), naming the flag on failure; Sampler.check holds the bounds.
func parseInterval(_ text: String, flag: String) throws -> ClosedRange<Float> {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Float($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo <= hi else {
        throw DiTError(file: flag, field: text, "expected LO,HI with LO ≤ HI, e.g. 0,700")
    }
    return lo...hi
}

/// "0,Dress,2" -> [0, 3, 2]: indices or class names (any case) of config.json's class_names.
/// Ranges are checked where the labels are used (they may include the null class).
func parseClassList(_ text: String, config c: DiTConfig, flag: String = "--class") throws -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    return try parts.map { part in
        if let y = Int(part) { return y }
        if let y = c.classNames?.firstIndex(where: { $0.lowercased() == part.lowercased() }) { return y }
        // ImageNet's id2label writes synonyms as one name ("great white shark, white shark, …"), as DiTPipeline splits them.
        if let y = c.classNames?.firstIndex(where: { $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == part.lowercased() } }) { return y }
        throw DiTError(file: flag, field: part,
                       "expected an index 0…\(c.numClasses - 1)" + (c.classNames.map { " or one of: " + $0.joined(separator: ", ") } ?? ""))
    }
}

/// A result that went non-finite (overflow, NaN): nothing is written and dit exits 1, since
/// the input was well-formed but the computation failed.
struct NonFiniteResult: Error, CustomStringConvertible {
    var what: String, bad: Int, count: Int
    var description: String { "\(what): \(bad) of \(count) values are not finite (NaN or ±inf); nothing written" }
}

/// Throws NonFiniteResult when any value of `t` is NaN or infinite.
func checkFinite(_ t: Tensor, _ what: String) throws {
    let bad = (0..<t.count).reduce(0) { $0 + (t[$1].isFinite ? 0 : 1) }
    if bad > 0 { throw NonFiniteResult(what: what, bad: bad, count: t.count) }
}

/// An output path whose directory exists and is writable, checked before any work.
func checkOutput(_ path: String?, flag: String) throws {
    guard let path else { return }
    guard !path.isEmpty else { throw DiTError(file: flag, "expected a file name, found an empty path") }
    if path.hasSuffix("/") || [".", ".."].contains((path as NSString).lastPathComponent) {
        throw DiTError(file: path, field: flag, "names a directory; expected a file name")
    }
    let dir = (path as NSString).deletingLastPathComponent
    let parent = dir.isEmpty ? "." : dir
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDir), isDir.boolValue else {
        throw DiTError(file: path, field: flag, "the directory \(parent) does not exist")
    }
    guard FileManager.default.isWritableFile(atPath: parent) else {
        throw DiTError(file: path, field: flag, "the directory \(parent) is not writable")
    }
    isDir = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
        throw DiTError(file: path, field: flag, "is a directory; expected a file name")
    }
}

/// Reports a written file on stdout.
func wrote(_ path: String, _ what: String) { print("wrote \(path) (\(what))") }

/// Reads a .npy and checks it is finite (and of `shape` when given).
func readArray(_ path: String, flag: String, shape: [Int]? = nil) throws -> Tensor {
    let t = try NPY.read(path)
    if let shape, t.shape != shape {
        throw DiTError(file: path, field: "shape", "expected \(shape) (\(flag)), found \(t.shape)")
    }
    if let bad = (0..<t.count).first(where: { !t[$0].isFinite }) {
        throw DiTError(file: path, field: "values", "expected finite values, found \(t[bad]) at flat index \(bad)")
    }
    return t
}

/// One value per sample: a single value is repeated, otherwise the count must match.
func broadcast<T>(_ values: [T], to n: Int, flag: String) throws -> [T] {
    if values.count == n { return values }
    if values.count == 1 { return Array(repeating: values[0], count: n) }
    throw DiTError(file: flag, "expected 1 or \(n) values (one per sample), found \(values.count)")
}

extension SamplerKind: ExpressibleByArgument {}
extension GuidanceSchedule: ExpressibleByArgument {}

/// "3" or "Dress" (any case) -> one class of the model, naming --class on failure.
func parseClass(_ label: String, _ c: DiTConfig) throws -> Int {
    let ys = try parseClassList(label, config: c)
    guard ys.count == 1, let y = ys.first, y >= 0 && y < c.numClasses else {
        throw DiTError(file: "--class", field: label, "expected one class in 0…\(c.numClasses - 1)")
    }
    return y
}

extension SettingError {
    /// The flag that sets each sampler setting: the library's typed error as a CLI message.
    var cliError: DiTError {
        let flag: String
        switch setting {
        case .steps: flag = "--steps"
        case .cfgScale: flag = "--cfg"
        case .eta: flag = "--eta"
        case .labels: flag = "--class"
        case .noise: flag = "--noise"
        case .karras: flag = "--karras"
        case .thresholding: flag = "--thresholding"
        case .cfgInterval: flag = "--cfg-interval"
        case .sampler: flag = "--sampler"
        case .start: flag = "--init"
        case .startStep: flag = "--init-step"
        }
        return DiTError(file: flag, field: value, "expected \(expected)")
    }
}
