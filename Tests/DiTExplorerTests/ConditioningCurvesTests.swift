import DiT
import DiTRender
import Foundation
import XCTest
@testable import DiTExplorer

/// The measured Fig. 5 (results.json of training/findings.py): read strictly, drawn in lesson 4.
final class ConditioningCurvesTests: XCTestCase {
    static let json = """
    {"recipe": {"batch": 64, "lr": 0.0003}, "samples": 250, "sampling_steps": 25, "model": "DiT-D128-L4/8",
     "series": {"adaLN-Zero": [{"step": 600, "fid": 40.0, "accuracy": 0.5, "loss": 0.09, "accuracy_cfg4": 0.97}, {"step": 300, "fid": 80.0, "loss": 0.11}],
                "in-context": [{"step": 300, "fid": 200.0}, {"step": 600, "fid": 150.0}],
                "adaLN": [], "cross-attention": [{"step": 300, "fid": 120.5}]}}
    """

    func testReadsTheSeriesInStepOrder() throws {
        let m = try ConditioningCurves(json: Data(Self.json.utf8), file: "results.json")
        XCTAssertEqual(m.samples, 250); XCTAssertEqual(m.batch, 64)
        XCTAssertEqual(m.series[.adaLNZero]?.map(\.step), [300, 600])
        XCTAssertEqual(m.series[.adaLNZero]?.last?.fid, 40)
        XCTAssertEqual(m.series[.adaLN]?.count, 0)
        XCTAssertEqual(m.lastStep, 600)
        XCTAssertEqual(m.commonStep, 0, "adaLN has no point: no step is common to all four")
        XCTAssertEqual(m.model, "DiT-D128-L4/8")
        XCTAssertEqual(m.series[.adaLNZero]?.last?.accuracyCFG4, 0.97)
    }

    func testRefusesBadFilesNamingTheField() {
        for (bad, field) in [(Self.json.replacingOccurrences(of: "\"in-context\"", with: "\"film\""), "series.film"),
                             (Self.json.replacingOccurrences(of: "\"fid\": 200.0", with: "\"fid\": \"x\""), "series.in-context[0].fid"),
                             (Self.json.replacingOccurrences(of: "\"samples\": 250,", with: ""), "samples"),
                             (Self.json.replacingOccurrences(of: "\"DiT-D128-L4/8\"", with: "7"), "model")] {
            XCTAssertThrowsError(try ConditioningCurves(json: Data(bad.utf8), file: "r.json")) { e in
                XCTAssertTrue("\(e)".contains(field) && "\(e)".contains("r.json"), "\(e)")
            }
        }
    }

    func testTheLastValuesOfAllFourAreWholeAt160Columns() throws {
        let json = Self.json.replacingOccurrences(of: "\"adaLN\": []", with: "\"adaLN\": [{\"step\": 300, \"fid\": 384.6, \"accuracy_cfg4\": 0.384}]")
            .replacingOccurrences(of: "{\"step\": 600, \"fid\": 150.0}", with: "{\"step\": 600, \"fid\": 374.7, \"accuracy_cfg4\": 0.496}")
            .replacingOccurrences(of: "{\"step\": 300, \"fid\": 120.5}", with: "{\"step\": 300, \"fid\": 385.6, \"accuracy_cfg4\": 0.456}")
        var s = Fake.state()
        Fake.feed(&s, through: 3)
        s.lesson = LessonState(chapter: .conditioning, language: .en, open: true)
        s.conditioningCurves = try ConditioningCurves(json: Data(json.utf8), file: "results.json")
        let text = Explorer.render(s, width: 160, height: 48).text
        for value in ["40.0 (97 %)", "384.6 (38 %)", "385.6 (46 %)", "374.7 (50 %)"] {
            XCTAssertTrue(text.contains(value), "\(value)\n" + text)
        }
    }

    func testLessonFourDrawsTheCurvesAndTheLastValues() throws {
        let curves = try ConditioningCurves(json: Data(Self.json.utf8), file: "results.json")
        for (w, h, plot) in [(160, 48, true), (80, 24, false)] {
            var s = Fake.state()
            Fake.feed(&s, through: 3)
            s.lesson = LessonState(chapter: .conditioning, language: .en, open: true)
            s.conditioningCurves = curves
            let text = Explorer.render(s, width: w, height: h).text
            XCTAssertTrue(text.contains(plot ? "measured: FID at CFG 1 (judge accuracy at CFG 4) · DiT-D128-L4/8 · N 250 · step 600"
                                             : "N 250 · step 600"), "\(w)×\(h)\n" + text)
            XCTAssertTrue(text.contains(plot ? "adaLN-Zero 40.0 (97 %)" : "Zero 40"), text)
            XCTAssertTrue(text.contains(plot ? "in-context 150.0" : "in-ctx 150"), text)
            XCTAssertTrue(text.contains(plot ? "cross-attention 120.5" : "cross 120"), text)
            if plot { XCTAssertTrue(text.contains("600 steps"), text) }
            // The live gates are still there.
            XCTAssertTrue(text.contains("gates α now"), text)
        }
    }
}
