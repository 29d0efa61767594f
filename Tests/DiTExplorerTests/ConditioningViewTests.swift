import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

/// The adaLN pane adapts to the block design (Fig. 5): four vectors and their scales for adaLN,
/// the patches' weights on [t, y] for cross-attention and in-context.
final class ConditioningViewTests: XCTestCase {
    func state(_ design: Conditioning) -> ExplorerState {
        var config = Fake.config
        config.conditioning = design
        var s = Fake.state(model: ModelSummary(name: design.rawValue, config: config, parameters: 1, hasNullClass: true))
        let T = config.tokenCount, H = config.numHeads, D = config.hiddenSize
        while s.steps.count < 4 {
            var v = Fake.step(s.steps.count, schedule: s.schedule)
            switch design {
            case .adaLN:
                // shift_msa, scale_msa, shift_mlp, scale_mlp: scale_msa is 0.5 in every unit.
                v.modulation = (0..<config.depth).map { _ in (0..<4 * D).map { $0 / D == 1 ? 0.5 : 0.1 } }
            case .crossAttention, .inContext:
                v.modulation = nil
                // Patch i of head h: weight on y = i / (T − 1), on t the rest.
                v.conditioningAttention = (0..<config.depth).map { _ in
                    (0..<H * T * 2).map { k in
                        let i = (k / 2) % T, onY = Float(i) / Float(T - 1)
                        return k % 2 == 1 ? onY : 1 - onY
                    }
                }
            case .adaLNZero: break
            }
            _ = Explorer.update(&s, .worker(.stepped(generation: s.generation, v)))
        }
        s.pane = .adaLN
        return s
    }

    func testAdaLNModelShowsFourVectorsAndItsScales() {
        for (w, h) in [(80, 24), (160, 48)] {
            let text = Explorer.render(state(.adaLN), width: w, height: h).text
            XCTAssertTrue(text.contains("adaLN at step"), text)
            XCTAssertTrue(text.contains("Linear(D, 4D)") && text.contains("no gates"), text)
            XCTAssertFalse(text.contains("gate_msa"), text)
            XCTAssertTrue(text.contains("scale_mlp"), text)
            XCTAssertTrue(text.contains("scales over the trajectory"), text)
            // RMS of scale_msa in the selected block is 0.5.
            XCTAssertTrue(text.contains("0.500"), text)
        }
    }

    func testAttentionDesignsShowTheWeightsOnTAndY() {
        for design in [Conditioning.crossAttention, .inContext] {
            for (w, h) in [(80, 24), (160, 48)] {
                let text = Explorer.render(state(design), width: w, height: h).text
                XCTAssertTrue(text.contains("\(design.rawValue) at step"), text)
                XCTAssertTrue(text.contains("mean weight of a patch on y"), text)
                // The mean over patches of i / (T − 1) is 0.5 for every head: on y and on t.
                XCTAssertTrue(text.contains(w >= 160 ? "0.50 / 0.50" : "0.50"), text)
                XCTAssertTrue(text.contains("blk 0 on t") && text.contains("blk 0 on y"), text)
                XCTAssertFalse(text.contains("gate"), text)
            }
        }
    }

    func testMeansAndFieldOfTheConditioningWeights() {
        // heads 2, T 3: head 0 puts 0.2 on y everywhere, head 1 0.6.
        let a: [Float] = [0.8, 0.2, 0.8, 0.2, 0.8, 0.2, 0.4, 0.6, 0.4, 0.6, 0.4, 0.6]
        let m = ConditioningAttentionView.means(a, heads: 2, tokens: 3, on: 1)
        XCTAssertEqual(m[0], 0.2, accuracy: 1e-6); XCTAssertEqual(m[1], 0.6, accuracy: 1e-6)
        XCTAssertEqual(ConditioningAttentionView.field(a, heads: 2, tokens: 3, on: 0).map { Double($0) }[2], 0.6, accuracy: 1e-6)
    }
}

extension ConditioningViewTests {
    /// The Calculator starts from the open model's design, so its Gflops are the model's.
    func testConditioningTabIsNamedAfterTheDesign() {
        let names: [Conditioning: String] = [.adaLNZero: "4 adaLN-Zero", .adaLN: "4 adaLN", .crossAttention: "4 Cross-attn", .inContext: "4 In-context"]
        for (design, name) in names {
            let top = Explorer.render(state(design), width: 160, height: 48).text.split(separator: "\n")[0]
            XCTAssertTrue(top.contains(" \(name) "), "\(design): \(top)")
            XCTAssertTrue(Explorer.render(state(design), width: 80, height: 24).text.split(separator: "\n")[0].contains("? help"),
                          "\(design): the tabs still leave room for the help hint at 80 columns")
            var s = state(design)
            let tab = try! XCTUnwrap(Layout(width: 160, height: 48, design: design).tabs.first { $0.0 == .adaLN }?.1)
            _ = Explorer.click(&s, x: tab.x + 1, y: 0, size: (160, 48))
            XCTAssertEqual(s.pane, .adaLN, "\(design): a click lands on the tab where it is drawn")
        }
    }

    func testCalculatorStartsAtTheModelsDesign() {
        for design in Conditioning.allCases {
            var config = Fake.config
            config.conditioning = design
            let calc = CalculatorState(model: config)
            XCTAssertEqual(calc.conditioning, design)
            XCTAssertEqual(calc.estimate?.flops, FLOPs(config))
        }
    }
}
