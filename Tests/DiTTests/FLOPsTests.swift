// The cost model: the paper's Table 4 and Fig. 5, and the conditioning variants on a config
// small enough to count by hand.
import XCTest
@testable import DiT

final class FLOPsTests: XCTestCase {
    func testTwelvePaperConfigsWithinHalfAPercent() {
        for p in DiTPreset.allCases {
            let c = p.config(), ref = FLOPs.paper[p]!
            XCTAssertEqual(FLOPs(c).gflops / ref.gflops, 1, accuracy: 0.005, p.rawValue)
            XCTAssertEqual(Double(FLOPs.parameters(c)) / 1e6 / ref.paramsM, 1, accuracy: 0.005, p.rawValue)
            XCTAssertEqual(FLOPs(c, conditioning: .adaLNZero), FLOPs(c), "adaLN-Zero is the default")
        }
    }

    /// Fig. 5's legend gives DiT-XL/2's Gflops for each variant: the assumptions reproduce it.
    func testXL2VariantsMatchFigure5() {
        let c = DiTPreset.xl2.config()
        for v in Conditioning.allCases {
            XCTAssertEqual(FLOPs(c, conditioning: v).gflops / FLOPs.paperConditioning[v]!, 1, accuracy: 0.005, v.rawValue)
        }
    }

    /// The paper: cross-attention "adds the most Gflops to the model, roughly a 15 % overhead".
    func testCrossAttentionOverheadForXL2() {
        let c = DiTPreset.xl2.config()
        let overhead = Double(FLOPs(c, conditioning: .crossAttention).total) / Double(FLOPs(c).total) - 1
        XCTAssertGreaterThan(overhead, 0.14)
        XCTAssertLessThan(overhead, 0.17)
        for v in Conditioning.allCases where v != .crossAttention {
            XCTAssertLessThan(FLOPs(c, conditioning: v).total, FLOPs(c, conditioning: .crossAttention).total, v.rawValue)
        }
    }

    func testOrderingOfVariants() {
        for p in DiTPreset.allCases {
            let c = p.config()
            func f(_ v: Conditioning) -> Int { FLOPs(c, conditioning: v).total }
            func n(_ v: Conditioning) -> Int { FLOPs.parameters(c, conditioning: v) }
            XCTAssertGreaterThan(f(.crossAttention), f(.adaLNZero), p.rawValue)
            XCTAssertGreaterThan(f(.adaLNZero), f(.adaLN), p.rawValue)
            // The gates are the only difference: 2D outputs of a Linear(D, ·) per block.
            let D = c.hiddenSize
            XCTAssertEqual(f(.adaLNZero) - f(.adaLN), c.depth * 2 * D * D)
            XCTAssertEqual(n(.adaLNZero) - n(.adaLN), c.depth * (2 * D * D + 2 * D))
            XCTAssertGreaterThan(n(.adaLNZero), n(.crossAttention), p.rawValue)
            XCTAssertLessThan(n(.inContext), n(.adaLN), "in-context regresses nothing")
        }
    }

    /// I = 4, p = 2, C = 1, D = 8, depth 1, 2 heads, 2 classes, learned σ: T = 4 tokens of 4 values,
    /// MLP hidden 32, output p·p·2C = 8 per token. Counted layer by layer from models.py and the
    /// paper's description, each line weight + bias.
    static let tiny = DiTConfig(inputSize: 4, patchSize: 2, inChannels: 1, hiddenSize: 8, depth: 1, numHeads: 2,
                                numClasses: 2, learnSigma: true)

    func testParametersCountedByHand() {
        let shared = (8 * 4 + 8) + 4 * 8         // x_embedder conv (8,1,2,2) + bias; pos_embed (4 tokens × 8)
            + (256 * 8 + 8) + (8 * 8 + 8)         // t_embedder: Linear(256, 8), Linear(8, 8)
            + 3 * 8                               // y_embedder: 2 classes + the null row
            + (8 * 24 + 24) + (8 * 8 + 8)         // attn.qkv, attn.proj
            + (8 * 32 + 32) + (32 * 8 + 8)        // mlp.fc1, mlp.fc2
            + (8 * 8 + 8)                         // final_layer.linear: 8 → 2·2·2
        let finalAdaLN = 8 * 16 + 16              // final_layer.adaLN_modulation: Linear(8, 2·8)
        let affineNorm = 2 * 8                    // γ and β of one LayerNorm
        let expected: [Conditioning: Int] = [
            .adaLNZero: shared + (8 * 48 + 48) + finalAdaLN,            // Linear(8, 6·8)
            .adaLN: shared + (8 * 32 + 32) + finalAdaLN,                // Linear(8, 4·8)
            .inContext: shared + 3 * affineNorm,                        // norm1, norm2, norm_final
            .crossAttention: shared + (8 * 24 + 24) + (8 * 8 + 8)       // in_proj (q, k, v), out_proj
                + 4 * affineNorm,                                       // norm1, norm_cross, norm2, norm_final
        ]
        XCTAssertEqual(expected[.adaLNZero], 3712)
        for v in Conditioning.allCases {
            XCTAssertEqual(FLOPs.parameters(Self.tiny, conditioning: v), expected[v], v.rawValue)
        }
    }

    func testFLOPsCountedByHand() {
        let c = Self.tiny
        // In-context: S = 4 + 2 = 6 tokens through the block.
        let ic = FLOPs(c, conditioning: .inContext)
        XCTAssertEqual(ic.sequenceLength, 6)
        XCTAssertEqual(FLOPs(c).sequenceLength, 4)
        XCTAssertEqual(ic.attention, 6 * 8 * 24 + 2 * 6 * 6 * 8 + 6 * 8 * 8)   // qkv, q·kᵀ and P·v, proj
        XCTAssertEqual(ic.mlp, 6 * 8 * 32 + 6 * 32 * 8)
        XCTAssertEqual(ic.adaLN, 0)
        XCTAssertEqual(ic.layerNorm, 5 * 8 * (2 * 6 + 4))                      // affine: 5 per element; final on T
        XCTAssertEqual(ic.finalLayer, 4 * 8 * 8)
        // Cross-attention: q from 4 tokens, k and v from 2, scores 4×2, output projection.
        let ca = FLOPs(c, conditioning: .crossAttention)
        XCTAssertEqual(ca.crossAttention, 4 * 8 * 8 + 2 * 8 * 16 + 2 * 4 * 2 * 8 + 4 * 8 * 8)
        XCTAssertEqual(ca.attention, FLOPs(c).attention)
        XCTAssertEqual(ca.layerNorm, 5 * 8 * (3 * 4 + 4))
        // adaLN-Zero: 6D modulation per block, 2D in the final layer; non-affine norms (4 per element).
        let z = FLOPs(c)
        XCTAssertEqual(z.adaLN, 8 * 48 + 8 * 16)
        XCTAssertEqual(FLOPs(c, conditioning: .adaLN).adaLN, 8 * 32 + 8 * 16)
        XCTAssertEqual(z.layerNorm, 4 * 8 * (2 * 4 + 4))
        XCTAssertEqual(z.patchEmbed, 4 * 4 * 8)
        XCTAssertEqual(z.conditioning, 256 * 8 + 8 * 8)
        XCTAssertEqual(z.total, CostPart.allCases.map { z[$0] }.reduce(0, +))
        XCTAssertEqual(z[.labelEmbedding], 0, "a table lookup")
    }

    func testReferenceOnlyAtThePapersShape() {
        XCTAssertEqual(FLOPs.reference(DiTPreset.b4.config(), .adaLNZero)?.gflops, 5.56)
        XCTAssertEqual(FLOPs.reference(DiTPreset.xl2.config(), .crossAttention)?.gflops, 137.6)
        XCTAssertNil(FLOPs.reference(DiTPreset.xl2.config(), .crossAttention)?.paramsM)
        XCTAssertNil(FLOPs.reference(DiTPreset.b4.config(), .adaLN), "Fig. 5 covers XL/2 only")
        XCTAssertNil(FLOPs.reference(DiTPreset.b4.config(inputSize: 64), .adaLNZero))
        XCTAssertNil(FLOPs.reference(DiTPreset.b4.config(inChannels: 3), .adaLNZero))
        XCTAssertEqual(DiTPreset(matching: DiTPreset.l8.config()), .l8)
        XCTAssertNil(DiTPreset(matching: Self.tiny))
        XCTAssertEqual(Conditioning(name: "ADALN-zero"), .adaLNZero)
        XCTAssertNil(Conditioning(name: "film"))
    }
}
