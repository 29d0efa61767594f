// The real images shipped for the Forward pane (assets/data/fashion-test-10pc), found where the
// shipped models are.
import DiTExplorer
import Foundation

enum ShippedData {
    static let realSet = "assets/data/fashion-test-10pc"

    /// The shipped real images, or nil when none is found (the pane says so).
    static func realImages() -> RealImages? {
        for root in ShippedModels.roots() where FileManager.default.fileExists(atPath: "\(root)/\(realSet)/images.npy") {
            return try? RealImages.load(directory: "\(root)/\(realSet)")
        }
        return nil
    }
}
