// Number formatting shared by the views (fixed, so goldens are stable).
import DiT
import DiTRender
import Foundation

enum Format {
    /// The first of `options` (longest first, each with all its numbers) that fits `width`
    /// columns, else the last: labels are dropped, numbers are never cut (issue 27).
    static func fitting(_ options: [String], _ width: Int) -> String {
        options.first { TextWidth.of($0) <= width } ?? options.last ?? ""
    }
    static func f(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
    static func signed(_ v: Double, _ digits: Int = 2) -> String { String(format: "%+.\(digits)f", v) }
    static func g(_ v: Double) -> String {
        let a = abs(v)
        return a != 0 && (a < 1e-3 || a >= 1e4) ? String(format: "%.2e", v) : String(format: a < 1 ? "%.4f" : "%.3f", v)
    }
    /// A model timestep: "999", or "856.3" where a solver's schedule is fractional (Euler, Heun).
    static func t(_ t: Float) -> String { t == t.rounded() ? String(Int(t)) : String(format: "%.1f", Double(t)) }
    static func dB(_ snr: Double) -> String { String(format: "%+.1f dB", 10 * log10(max(snr, 1e-12))) }
    /// "DDIM η=0.0", "DDPM", "DPM++2M Karras", "Euler", "Heun": the sampler as the status line names it.
    static func sampler(_ st: SamplerSettings) -> String {
        let name = ["DDIM", "DDPM", "DPM++2M", "Euler", "Heun"][SamplerKind.allCases.firstIndex(of: st.kind)!]
        if st.kind == .ddim { return "\(name) η=\(f(Double(st.eta), 1))" }
        return name + (st.karras ? " Karras" : "") + (st.thresholding ? " clip" : "")
    }
    /// "CFG 4.0", with the interval and ramp when set: "CFG 4.0 t∈[80,600] cosine".
    static func guidance(_ st: SamplerSettings) -> String {
        "CFG \(f(Double(st.cfgScale), 1))" + (st.cfgInterval.map { " t∈[\(t($0.lowerBound)),\(t($0.upperBound))]" } ?? "")
            + (st.cfgSchedule == .constant ? "" : " " + st.cfgSchedule.rawValue)
    }
    static func params(_ n: Int) -> String { n < 1000 ? "\(n)" : n >= 1_000_000 ? String(format: "%.1fM", Double(n) / 1e6) : String(format: "%.1fk", Double(n) / 1e3) }
}
