// A sampler setting the library refused, as the explorer says it: the keys that change it
// (from the key table), then what was wrong. The CLI says the same with its flags instead.
import DiT

extension SettingError {
    /// The command whose keys change this setting; nil for one no key sets (x_T, the SDEdit start).
    var command: Command? {
        switch setting {
        case .steps: return .stepsMore
        case .cfgScale: return .cfgUp
        case .eta: return .etaUp
        case .labels: return .classNext
        case .noise: return nil
        case .karras: return .karras
        case .thresholding: return .samplerNext   // only a flag sets it; m leaves DPM++2M, which drops it
        case .cfgInterval: return .cfgIntervalNext
        case .sampler: return .samplerNext
        case .start, .startStep: return nil  // set by the Forward pane's SDEdit, not a key of their own
        }
    }

    public var explorerMessage: String {
        let row = command.flatMap { c in Keymap.groups.flatMap(\.1).first { $0.commands.contains(c) } }
        return (row.map { "keys \($0.label): " } ?? "") + description
    }
}
