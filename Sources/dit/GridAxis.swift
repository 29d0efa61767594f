// The axes of `dit grid`: AXIS=V1,V2,… on --rows and --cols, and the one cell (model and sampler
// settings) that a row value and a column value choose on top of the base flags. Every failure
// names the axis flag, the value and what was expected.
import DiT
import Foundation

enum GridAxisKind: String, CaseIterable {
    case `class`, seed, cfg, steps, sampler, nfe, ablate, model
}

struct GridAxis {
    var kind: GridAxisKind
    var values: [String]
    var flag: String

    static let maxValues = 64

    /// "cfg=1,2,4" -> (cfg, ["1", "2", "4"]).
    init(_ text: String, flag: String) throws {
        let names = GridAxisKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let eq = text.firstIndex(of: "="), let kind = GridAxisKind(rawValue: text[..<eq].trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw DiTError(file: flag, field: text, "expected AXIS=V1,V2,… with AXIS one of \(names)")
        }
        let values = text[text.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !values.isEmpty, values.allSatisfy({ !$0.isEmpty }), values.count <= GridAxis.maxValues else {
            throw DiTError(file: flag, field: text, "expected 1…\(GridAxis.maxValues) non-empty comma-separated values after \(kind.rawValue)=")
        }
        self.kind = kind; self.values = values; self.flag = flag
    }
}

/// One cell's choices before they meet a model: the base flags with axis values applied.
struct GridCellSpec {
    var model: String
    var label: String
    var seed: UInt64
    var cfg: Float
    var steps: Int
    var sampler: SamplerKind
    var nfe: Int? = nil
    var ablate: [String] = []

    /// Applies one axis value, checking its type (the model-dependent checks come in `resolve`).
    mutating func set(_ kind: GridAxisKind, _ value: String, flag: String) throws {
        func bad(_ expected: String) -> DiTError { DiTError(file: flag, field: "\(kind.rawValue)=\(value)", "expected \(expected)") }
        switch kind {
        case .class: label = value
        case .seed: guard let v = UInt64(value) else { throw bad("a seed, an integer in 0…\(UInt64.max)") }; seed = v
        case .cfg: guard let v = Float(value), v.isFinite else { throw bad("a finite guidance scale ≥ 0") }; cfg = v
        case .steps: guard let v = Int(value) else { throw bad("an integer number of steps") }; steps = v
        case .sampler:
            guard let v = SamplerKind(rawValue: value) else { throw bad("one of \(SamplerKind.allCases.map(\.rawValue).joined(separator: ", "))") }
            sampler = v
        case .nfe: guard let v = Int(value), v >= 1 else { throw bad("a number of network evaluations ≥ 1") }; nfe = v
        case .ablate:
            ablate = value.lowercased() == "none" ? [] : value.split(separator: "+").map(String.init)
        case .model: model = value
        }
    }

    /// The model's settings for this cell (one label), and the NFE it takes. With `nfe`, the steps
    /// are the most whose network evaluations do not exceed it (heun: 2·steps − 1).
    func resolve(_ m: DiTModel, solver: SolverOptions, clip: Bool) throws -> (settings: SamplerSettings, nfe: Int) {
        let c = m.config
        var steps = self.steps
        if let nfe {
            let top = SamplerSettings.maxSteps(sampler)
            steps = min(nfe, top)
            var probe = SamplerSettings(kind: sampler, steps: steps)
            while steps > 1, try probe.solver(learnSigma: c.learnSigma).networkEvaluations > nfe { steps -= 1; probe.steps = steps }
        }
        var s = try solver.settings(steps: steps, eta: 0, cfgScale: cfg, clip: clip, labels: [try parseClass(label, c)], seed: seed)
        s.kind = sampler
        s.ablations = try AblationSet(specs: ablate)
        try s.ablations.validate(c)
        try s.checkBounds()
        return (s, try s.solver(learnSigma: c.learnSigma).networkEvaluations)
    }

    /// The caption of an axis value in this cell ("cfg=4", "class=Dress", "model=dit-s8-fashion").
    static func caption(_ kind: GridAxisKind, _ value: String, config c: DiTConfig?) -> String {
        switch kind {
        case .class: if let i = Int(value), let names = c?.classNames, names.indices.contains(i) { return "\(names[i])" }
        case .model: return (value as NSString).lastPathComponent
        default: break
        }
        return "\(kind.rawValue)=\(value)"
    }
}

/// Runs `body`, turning a library error into one that names an axis flag and its value.
func naming<T>(_ flag: String, _ field: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as SettingError {
        throw DiTError(file: flag, field: field, "\(e.setting.rawValue) \(e.value): expected \(e.expected)")
    } catch let e as DiTError {
        throw e.file == flag ? e : DiTError(file: flag, field: field, e.problem)
    }
}
