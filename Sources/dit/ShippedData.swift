// The real images shipped for the Forward pane (assets/data/fashion-test-10pc), found where the
// shipped models are.
import DiTExplorer
import Foundation

enum ShippedData {
    static let realSet = "assets/data/fashion-test-10pc"
    static let conditioningResults = "assets/experiments/conditioning/results.json"
    static let scalingResults = "assets/experiments/scaling/results.json"

    /// The shipped file at `path` read by `load`, or nil when not shipped or unreadable.
    static func shipped<T>(_ path: String, _ load: (String) throws -> T) -> T? {
        for root in ShippedModels.roots() where FileManager.default.fileExists(atPath: "\(root)/\(path)") {
            return try? load("\(root)/\(path)")
        }
        return nil
    }

    /// The measured Fig. 5 curves (training/findings.py), or nil when not shipped or unreadable.
    static func conditioningCurves() -> ConditioningCurves? { shipped(conditioningResults, ConditioningCurves.load) }

    /// The measured scaling at equal steps (training/findings.py), or nil when not shipped or unreadable.
    static func scaling() -> ScalingResults? { shipped(scalingResults, ScalingResults.load) }

    /// The shipped real images, or nil when none is found (the pane says so).
    static func realImages() -> RealImages? {
        for root in ShippedModels.roots() where FileManager.default.fileExists(atPath: "\(root)/\(realSet)/images.npy") {
            return try? RealImages.load(directory: "\(root)/\(realSet)")
        }
        return nil
    }
}
