// Loading a diffusers nn.Conv2d (PREFIX.weight (Cout, Cin, k, k), PREFIX.bias (Cout)) and running
// it on one sample with the VAE's scratch workspace.

extension Conv2d {
    init(_ r: WeightReader, _ prefix: String, in cin: Int, out cout: Int, kernel k: Int,
         stride: Int = 1, padding: Padding) throws {
        self.init(weight: try r.tensor(prefix + ".weight", [cout, cin, k, k]), bias: try r.tensor(prefix + ".bias", [cout]),
                  stride: stride, padding: padding)
    }

    /// y (Cout, Ho, Wo) = conv(x (Cin, h, w)) for one sample; returns (Ho, Wo).
    @discardableResult
    func run(_ x: UnsafePointer<Float>, _ h: Int, _ w: Int, _ scratch: VAEScratch,
             into y: UnsafeMutablePointer<Float>) -> (Int, Int) {
        let columns = scratch(.columns, max(1, workspaceCount(height: h, width: w)))
        forward(x, batch: 1, height: h, width: w, workspace: columns, into: y)
        return outSize(height: h, width: w)!
    }
}
