import XCTest
@testable import DiTRender

final class ColorTests: XCTestCase {
    func testXTerm256PicksCubeOrGrey() {
        XCTAssertEqual(XTerm256.index(RGB(255, 0, 0)), 196)        // cube corner
        XCTAssertEqual(XTerm256.index(RGB(0, 0, 0)), 16)
        XCTAssertEqual(XTerm256.index(RGB(255, 255, 255)), 231)
        XCTAssertEqual(XTerm256.index(RGB(95, 135, 175)), 16 + 36 * 1 + 6 * 2 + 3)  // exact cube levels
        XCTAssertEqual(XTerm256.index(RGB(128, 128, 128)), 244)    // grey 8 + 10·12 = 128 beats cube 135
        XCTAssertEqual(XTerm256.index(RGB(20, 20, 22)), 233)       // near-black greys use the ramp
    }

    func testBayerDitherMixesNeighbouringGreys() {
        // Grey 141 lies between the greys 135 (cube 102), 138 (245) and 148 (246): a 4×4 tile mixes
        // them, and on average shows about the grey asked for.
        let tile = (0..<16).map { XTerm256.index(RGB(141, 141, 141), ditherX: $0 % 4, y: $0 / 4) }
        XCTAssertEqual(Set(tile), [102, 245, 246])
        let mean = Double(tile.map { Int(XTerm256.rgb($0).r) }.reduce(0, +)) / 16
        XCTAssertEqual(mean, 141, accuracy: 1.5)
        XCTAssertEqual(tile, (0..<16).map { XTerm256.index(RGB(141, 141, 141), ditherX: $0 % 4 + 4, y: $0 / 4 + 8) },
                       "a repeating tile: no shimmer between frames")
        XCTAssertEqual(XTerm256.index(RGB(255, 0, 0), ditherX: 1, y: 2), 196, "saturated colours stay put")
    }

    func testXTerm256RoundTripsItsOwnColours() {
        for i in 16...255 {
            XCTAssertEqual(XTerm256.quantize(XTerm256.rgb(i)), XTerm256.rgb(i), "index \(i)")
        }
    }

    func testColorMapEndsAndMiddle() {
        XCTAssertEqual(ColorMap.viridis.color(0), RGB(68, 1, 84))
        XCTAssertEqual(ColorMap.viridis.color(1), RGB(253, 231, 37))
        XCTAssertEqual(ColorMap.viridis.color(-3), RGB(68, 1, 84), "clamped")
        XCTAssertEqual(ColorMap.viridis.color(.nan), RGB(68, 1, 84))
        XCTAssertEqual(ColorMap.coolwarm.color(0.5), RGB(221, 221, 221), "diverging maps are neutral at 0")
        XCTAssertEqual(ColorMap.coolwarm.color(0, lo: -2, hi: 2), RGB(221, 221, 221))
        XCTAssertEqual(ColorMap.grey.color(0.5), RGB(128, 128, 128))
    }

    func testMixAndLuminance() {
        XCTAssertEqual(RGB.black.mix(.white, 0.5), RGB(128, 128, 128))
        XCTAssertEqual(RGB(10, 20, 30).mix(.white, 0), RGB(10, 20, 30))
        XCTAssertEqual(RGB.white.luminance, 1, accuracy: 1e-9)
        XCTAssertEqual(RGB(grey: 2), RGB.white)
    }
}
