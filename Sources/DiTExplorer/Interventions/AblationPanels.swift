// Denoising with ablations: beside x̂0 (ablated), x̂0 of the same x_t without the ablations and
// the difference ablated − without, on a symmetric range of its largest value at this step.
import DiTRender

enum AblationPanels {
    static let titles = ["x̂0  without ablation", "x̂0 ablated − without"]

    /// The two panels, when the step came with its unablated x̂0 (empty without ablations).
    static func panels(_ s: ExplorerState, _ b: Branch) -> [DenoisingPanel] {
        guard s.latent == nil, !s.compare, !Branch.settings(at: s.k, in: b.lineage).ablations.isEmpty else { return [] }
        let step = b.step(s.k), without = step?.unablatedX0, d = step.flatMap(difference)
        return [DenoisingPanel(titles[0], without.map(Images.image)),
                DenoisingPanel(titles[1], d.map { Images.signed($0, range: range($0)) })]
    }

    /// The order the pages show the Denoising panels in: with ablations, x̂0 (2), x̂0 without them
    /// and the difference (3, 4) first, so they share the first page; else as listed.
    static func order(_ s: ExplorerState, count: Int) -> [Int] {
        guard count >= 5, !panels(s, s.current).isEmpty else { return Array(0..<count) }
        return [2, 3, 4, 0, 1] + Array(5..<count)
    }

    /// x̂0 ablated − x̂0 without, pixel by pixel.
    static func difference(_ v: StepView) -> Planes? {
        guard let u = v.unablatedX0 else { return nil }
        return Planes(channels: u.channels, height: u.height, width: u.width, values: zip(v.predX0.values, u.values).map { $0 - $1 })
    }

    static func range(_ d: Planes) -> Double { max(1e-6, Double(d.values.reduce(0) { max($0, abs($1)) })) }

    /// The caption under panel j (0: without, 1: the difference).
    static func caption(_ j: Int, _ step: StepView?, _ c: inout Canvas, x: Int, y: Int, width: Int, ascii: Bool) {
        if j == 0 { c.put("same x_t, no ablation", x: x, y: y, fg: RGB.dim, maxWidth: width); return }
        guard let d = step.flatMap(difference) else { return }
        let r = Format.g(range(d))
        Widgets.legend(&c, x: x, y: y, width: min(width, 24), map: .coolwarm, lo: "−" + r, hi: "+" + r, ascii: ascii)
    }
}
