import DiT
import DiTRender
import Foundation
import XCTest
@testable import DiTExplorer

/// The measured scaling at equal steps (assets/experiments/scaling/results.json of training/findings.py):
/// read strictly, drawn in lesson 8 at the last step every config has.
final class ScalingResultsTests: XCTestCase {
    static let json = """
    {"samples": 250, "common_step": 500,
     "series": {"DiT-D192-L6/8": [{"step": 500, "fid": 60.5, "accuracy": 0.71, "gflops": 0.05, "train_seconds": 900},
                                  {"step": 250, "fid": 90.0, "accuracy": 0.4, "gflops": 0.05, "train_seconds": 450},
                                  {"step": 750, "fid": 50.0, "accuracy": 0.8, "gflops": 0.05, "train_seconds": 1300}],
                "DiT-D64-L4/8": [{"step": 250, "fid": 150.0, "accuracy": 0.2, "gflops": 0.004, "train_seconds": 100},
                                 {"step": 500, "fid": 120.25, "accuracy": 0.33, "gflops": 0.004, "train_seconds": 200}]}}
    """

    func testReadsTheSeriesAndFindsTheCommonStep() throws {
        let m = try ScalingResults(json: Data(Self.json.utf8), file: "results.json")
        XCTAssertEqual(m.samples, 250)
        XCTAssertEqual(m.series["DiT-D192-L6/8"]?.map(\.step), [250, 500, 750])
        XCTAssertEqual(m.commonStep, 500, "750 is D192's alone")
        XCTAssertEqual(m.at(500).map(\.config), ["DiT-D64-L4/8", "DiT-D192-L6/8"], "fewest Gflops first")
        let declared = try ScalingResults(json: Data(Self.json.replacingOccurrences(of: "\"common_step\": 500", with: "\"common_step\": 750").utf8), file: "r.json")
        XCTAssertEqual(declared.commonStep, 750, "the file's own common step wins")
        XCTAssertEqual(declared.at(750).map(\.config), ["DiT-D192-L6/8"])
    }

    func testRefusesBadFilesNamingTheField() {
        for (bad, field) in [(Self.json.replacingOccurrences(of: "\"fid\": 60.5", with: "\"fid\": \"x\""), "fid"),
                             (Self.json.replacingOccurrences(of: "\"gflops\": 0.004, \"train_seconds\": 100", with: "\"gflops\": -1, \"train_seconds\": 100"), "gflops"),
                             (Self.json.replacingOccurrences(of: "\"samples\": 250,", with: ""), "samples"),
                             ("{\"samples\": 3, \"series\": {}}", "series"),
                             (Self.json.replacingOccurrences(of: "\"common_step\": 500", with: "\"common_step\": -5"), "common_step")] {
            XCTAssertThrowsError(try ScalingResults(json: Data(bad.utf8), file: "r.json")) { e in
                XCTAssertTrue("\(e)".contains(field) && "\(e)".contains("r.json"), "\(e)")
            }
        }
    }

    func testLessonEightDrawsTheConfigsAtTheCommonStepWithEveryNumberWhole() throws {
        let m = try ScalingResults(json: Data(Self.json.utf8), file: "results.json")
        for (w, h) in [(160, 48), (80, 24)] {
            var s = Fake.state()
            Fake.feed(&s, through: 3)
            s.lesson = LessonState(chapter: .scaling, language: .en, open: true)
            s.scalingResults = m
            let text = Explorer.render(s, width: w, height: h).text
            XCTAssertTrue(text.contains("(500; FID, CFG 1, N 250)"), "\(w)×\(h)\n" + text)
            XCTAssertTrue(text.contains("FID 120.2") || text.contains("FID 120.3"), "\(w)×\(h)\n" + text)
            XCTAssertTrue(text.contains("FID 60.5"), "\(w)×\(h)\n" + text)
            XCTAssertFalse(text.contains("FID 50.0"), "step 750 is not common to all")
            XCTAssertTrue(text.contains(w >= 160 ? "acc 71 %" : "71%"), "\(w)×\(h)\n" + text)
        }
        var s = Fake.state()
        s.lesson = LessonState(chapter: .scaling, language: .en, open: true)
        XCTAssertTrue(Explorer.render(s, width: 160, height: 48).text.contains("is not shipped"))
    }
}
