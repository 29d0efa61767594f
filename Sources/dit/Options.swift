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

    func load() throws -> DiTModel {
        let path = try resolved()
        let model = try DiTModel(directory: path)
        if !model.weights.unusedKeys.isEmpty {
            let keys = model.weights.unusedKeys
            FileHandle.standardError.write(Data("dit: warning: \(path): \(keys.count) unknown key(s) ignored: \(keys.prefix(5).joined(separator: ", "))\(keys.count > 5 ? ", …" : "")\n".utf8))
        }
        return model
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

/// "0,Dress,2" -> [0, 3, 2]: indices or class names (any case) of config.json's class_names.
/// Ranges are checked where the labels are used (they may include the null class).
func parseClassList(_ text: String, config c: DiTConfig, flag: String = "--class") throws -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    return try parts.map { part in
        if let y = Int(part) { return y }
        if let y = c.classNames?.firstIndex(where: { $0.lowercased() == part.lowercased() }) { return y }
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
        }
        return DiTError(file: flag, field: value, "expected \(expected)")
    }
}
