// One row of the cost calculator: a shape and a conditioning variant, its Gflops and parameters
// per part, and the paper's number beside it where the paper lists that shape.

public struct CostEstimate: Sendable {
    public let config: DiTConfig
    public let conditioning: Conditioning
    public let flops: FLOPs
    public let parameters: Parameters
    public let reference: (gflops: Double, paramsM: Double?)?

    public init(_ config: DiTConfig, conditioning design: Conditioning? = nil) {
        let conditioning = design ?? config.conditioning
        self.config = config; self.conditioning = conditioning
        flops = FLOPs(config, conditioning: conditioning)
        parameters = Parameters(config, conditioning: conditioning)
        reference = FLOPs.reference(config, conditioning)
    }

    /// "DiT-B/4", or "D=512 depth 8 heads 8 p=2" for a shape the paper does not name.
    public var name: String {
        DiTPreset(matching: config)?.rawValue
            ?? "D=\(config.hiddenSize) depth \(config.depth) heads \(config.numHeads) p=\(config.patchSize)"
    }

    /// Percent off the paper's Gflops and parameters (where it gives them).
    public var deltaGflops: Double? { reference.map { 100 * (flops.gflops / $0.gflops - 1) } }
    public var deltaParams: Double? {
        reference?.paramsM.map { 100 * (Double(parameters.total) / 1e6 / $0 - 1) }
    }
}
