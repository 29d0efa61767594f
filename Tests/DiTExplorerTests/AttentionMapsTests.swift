import XCTest
@testable import DiTExplorer

final class AttentionMapsTests: XCTestCase {
    // 2 heads, 2 tokens: head 0 attends to itself, head 1 to the other token.
    let block: [Float] = [1, 0, 0, 1,   0, 1, 1, 0]

    func testHeadAndMean() {
        XCTAssertEqual(AttentionMaps.head(block, tokens: 2, head: 1, query: 0), [0, 1])
        XCTAssertEqual(AttentionMaps.mean(block, tokens: 2, heads: 2, query: 0), [0.5, 0.5])
    }

    func testRolloutAddsTheResidualAndKeepsMass() {
        // One block: ½(Ā + I) row 0 = ½([.5, .5] + [1, 0]) = [.75, .25].
        XCTAssertEqual(AttentionMaps.rollout([block], tokens: 2, heads: 2, query: 0, through: 0), [0.75, 0.25])
        // Two blocks: [.75, .25] · Ã = [.75·.75 + .25·.25, .75·.25 + .25·.75].
        let two = AttentionMaps.rollout([block, block], tokens: 2, heads: 2, query: 0, through: 1)
        XCTAssertEqual(two[0], 0.625, accuracy: 1e-6)
        XCTAssertEqual(two.reduce(0, +), 1, accuracy: 1e-6)
        let identity: [Float] = [1, 0, 0, 1, 1, 0, 0, 1]
        XCTAssertEqual(AttentionMaps.rollout([identity, identity], tokens: 2, heads: 2, query: 1, through: 1), [0, 1])
    }
}
