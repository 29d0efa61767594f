// The real images shipped for the Forward pane (assets/data/fashion-test-10pc), found where the
// shipped models are.
import DiTExplorer
import Foundation

enum ShippedData {
    static let realSet = "assets/data/fashion-test-10pc"
    static let conditioningResults = "assets/experiments/conditioning/results.json"

    /// The measured Fig. 5 curves (training/fig5.py), or nil when not shipped or unreadable.
    static func conditioningCurves() -> ConditioningCurves? {
        for root in ShippedModels.roots() where FileManager.default.fileExists(atPath: "\(root)/\(conditioningResults)") {
            return try? ConditioningCurves.load("\(root)/\(conditioningResults)")
        }
        return nil
    }

    /// The shipped real images, or nil when none is found (the pane says so).
    static func realImages() -> RealImages? {
        for root in ShippedModels.roots() where FileManager.default.fileExists(atPath: "\(root)/\(realSet)/images.npy") {
            return try? RealImages.load(directory: "\(root)/\(realSet)")
        }
        return nil
    }
}
