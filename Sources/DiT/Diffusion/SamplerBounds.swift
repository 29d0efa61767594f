// The sampler settings' bounds, in one place, and the typed error for a setting outside them.
// The library knows no flags or keys: the CLI maps a SettingError to its flag, the explorer
// to its key, a replay to the recording's field.

/// A sampler setting outside what the sampler defines.
public struct SettingError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Setting: String, Sendable { case steps, cfgScale = "CFG scale", eta = "η", labels = "class", noise = "x_T",
                                         karras = "Karras σ", thresholding, cfgInterval = "guidance interval",
                                         sampler, start = "start image", startStep = "start step" }
    public var setting: Setting
    public var value: String          // what was given
    public var expected: String
    public init(_ setting: Setting, _ value: String, expected: String) {
        self.setting = setting; self.value = value; self.expected = expected
    }
    public var description: String { "\(setting.rawValue) \(value): expected \(expected)" }
}

extension SamplerSettings {
    /// Respaced step counts: 1 … the 1000 training timesteps.
    public static let stepRange = 1...GaussianDiffusion.numTrainTimesteps
    /// DDIM's η: 0 is deterministic, 1 is DDPM's posterior variance; above 1 the variance
    /// σ² exceeds 1 − ᾱ_{t−1} and the mean's √(1 − ᾱ_{t−1} − σ²) is NaN.
    public static let etaRange: ClosedRange<Float> = 0...1

    /// Every bound that holds whatever the model (the labels' range is the model's: Sampler.check).
    public func checkBounds() throws {
        let maxSteps = SamplerSettings.maxSteps(kind)
        guard steps >= SamplerSettings.stepRange.lowerBound && steps <= maxSteps else {
            throw SettingError(.steps, "\(steps)", expected: "\(SamplerSettings.stepRange.lowerBound)…\(maxSteps)" + (kind == .dpmSolver ? " for dpm++2m" : ""))
        }
        guard !karras || kind.takesKarras else {
            throw SettingError(.karras, "with \(kind.rawValue)",
                               expected: "one of \(SamplerKind.allCases.filter(\.takesKarras).map(\.rawValue).joined(separator: ", "))")
        }
        guard !thresholding || kind == .dpmSolver else {
            throw SettingError(.thresholding, "with \(kind.rawValue)", expected: "\(SamplerKind.dpmSolver.rawValue) (DDPM and DDIM clip x̂0 already)")
        }
        let maxT = Float(GaussianDiffusion.numTrainTimesteps - 1)
        if let r = cfgInterval, !(r.lowerBound.isFinite && r.upperBound.isFinite && r.lowerBound >= 0 && r.upperBound <= maxT) {
            throw SettingError(.cfgInterval, "\(r.lowerBound),\(r.upperBound)", expected: "LO,HI with 0 ≤ LO ≤ HI ≤ \(Int(maxT))")
        }
        guard cfgScale.isFinite && cfgScale >= 0 else {
            throw SettingError(.cfgScale, "\(cfgScale)", expected: "a finite scale ≥ 0 (1 = no guidance)")
        }
        guard eta.isFinite && SamplerSettings.etaRange.contains(eta) else {
            throw SettingError(.eta, "\(eta)", expected: "0…1 (0 = deterministic DDIM, 1 = DDPM's variance)")
        }
        guard !labels.isEmpty else { throw SettingError(.labels, "none", expected: "at least one class") }
    }
}
