import Foundation
import XCTest
import DiT

/// `dit eval` on the fastest shipped model, small enough for CI: the JSON contract, that the
/// written samples are the scored ones, determinism, and that noise scores far worse.
final class EvalCLITests: XCTestCase {
    static let model = CLITests.repo + "/assets/models/dit-s8-fashion"
    static let judgeDir = CLITests.repo + "/assets/models/fashion-classifier"

    func evalJSON(_ extra: [String]) throws -> [String: Any] {
        let r = try dit(["eval", "--model", Self.model, "--samples", "20", "--steps", "1", "--json", "--quiet"] + extra)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
    }

    func testEvalJSONScoresTheWrittenSamples() throws {
        let out = tmp("eval.npy"), grid = tmp("eval.png")
        let j = try evalJSON(["--output", out, "--grid", grid, "--seed", "3"])
        let accuracy = try XCTUnwrap(j["accuracy"] as? Double)
        let perClass = try XCTUnwrap(j["per_class_accuracy"] as? [Double])
        let fid = try XCTUnwrap(j["fid"] as? Double), floor = try XCTUnwrap(j["fid_floor"] as? Double)
        XCTAssert((0...1).contains(accuracy))
        XCTAssertEqual(perClass.count, 10)
        XCTAssertEqual(perClass.reduce(0, +) / 10, accuracy, accuracy: 1e-9, "equal blocks: overall = mean of classes")
        XCTAssert(fid.isFinite && floor.isFinite && floor > 0 && fid > floor, "fid \(fid), floor \(floor)")
        // The written samples are the scored ones: the library's judge on them gives the same numbers.
        let x = try NPY.read(out)
        XCTAssertEqual(x.shape, [20, 1, 32, 32])
        let judge = try Judge(directory: Self.judgeDir)
        let q = try SampleQuality(samples: x, labels: EvaluationSampling.labels(samples: 20, classes: 10), judge: judge)
        XCTAssertEqual(q.accuracy, accuracy, accuracy: 1e-9)
        XCTAssertEqual(q.fid, fid, accuracy: 1e-6 * fid)
        XCTAssertTrue(FileManager.default.fileExists(atPath: grid))
        // Deterministic for a seed; another seed draws other samples.
        let again = try evalJSON(["--output", tmp("eval2.npy"), "--seed", "3"])
        XCTAssertEqual(again["fid"] as? Double, fid)
        XCTAssertEqual(try NPY.read(tmp("eval2.npy")).array, x.array)
        // Pure noise ranks far worse than real images at the same N (the shipped real set, 10 per class).
        let real = try NPY.read(CLITests.repo + "/assets/data/fashion-test-10pc/images.npy")
        let labels = try NPY.read(CLITests.repo + "/assets/data/fashion-test-10pc/labels.npy").array.map { Int($0) }
        let noise = NoiseSource(seed: 1).initial(shape: real.shape)
        for i in 0..<noise.count { noise[i] = max(-1, min(1, noise[i])) }
        let good = try SampleQuality(samples: real, labels: labels, judge: judge)
        let bad = try SampleQuality(samples: noise, labels: labels, judge: judge)
        XCTAssertGreaterThan(good.accuracy, 0.85)
        XCTAssertLessThan(bad.accuracy, 0.3)
        XCTAssertGreaterThan(bad.fid, 5 * good.fid, "noise must rank far worse than real images")
    }

    func testEvalTextReportAndBadInput() throws {
        let r = try dit(["eval", "--model", Self.model, "--samples", "20", "--steps", "1", "--cfg", "1", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for word in ["accuracy", "FID", "floor", "Ankle boot", "NFE 1"] { XCTAssert(r.stdout.contains(word), "\(word) in\n\(r.stdout)") }
        let odd = try dit(["eval", "--model", Self.model, "--samples", "15"])
        XCTAssertEqual(odd.status, 2); XCTAssert(odd.stderr.contains("--samples"), odd.stderr)
        let missing = try dit(["eval", "--model", Self.model, "--output", "/nonexistent-dir/x.npy"])
        XCTAssertEqual(missing.status, 2); XCTAssert(missing.stderr.contains("/nonexistent-dir"), missing.stderr)
        let noJudge = try dit(["eval", "--model", Self.model, "--judge", tmp("no-judge")])
        XCTAssertEqual(noJudge.status, 2); XCTAssert(noJudge.stderr.contains("config.json"), noJudge.stderr)
    }

    func testCompareRunsOneSeedThroughEachModel() throws {
        let out = tmp("compare.png")
        let r = try dit(["compare", "--model", CLITests.tiny, "--model", CLITests.tiny, "--steps", "4", "--columns", "3",
                         "--class", "2", "--seed", "5", "--json", "--output", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        let j = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(j["models"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0]["steps_shown"] as? [Int], [0, 1, 3])
        XCTAssertNil(rows[0]["judge_top_class"], "the Fashion-MNIST judge does not score 8×8 images")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
        let bad = try dit(["compare", "--model", CLITests.tiny, "--model", Self.model, "--steps", "2"])
        XCTAssertEqual(bad.status, 2); XCTAssert(bad.stderr.contains("input_size"), bad.stderr)
        let cols = try dit(["compare", "--model", CLITests.tiny, "--columns", "0"])
        XCTAssertEqual(cols.status, 2); XCTAssert(cols.stderr.contains("--columns"), cols.stderr)
    }

    func testCompareSetOfDesignsIsFig5sFourOrSaysWhichAreMissing() throws {
        let designs = ["in-context", "cross-attention", "adaln", "adaln-zero"].map { "dit-d128-l4-p8-\($0)" }
        let shipped = designs.filter { FileManager.default.fileExists(atPath: CLITests.repo + "/assets/models/\($0)/config.json") }
        let r = try dit(["compare", "--set", "designs", "--steps", "2", "--columns", "1", "--json"])
        if shipped.isEmpty {
            XCTAssertEqual(r.status, 2)
            XCTAssert(r.stderr.contains("--set") && designs.allSatisfy(r.stderr.contains), r.stderr)
        } else {
            XCTAssertEqual(r.status, 0, r.stderr)
            let rows = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["models"] as? [[String: Any]])
            XCTAssertEqual(rows.compactMap { ($0["model"] as? String).map { ($0 as NSString).lastPathComponent } }, shipped)
        }
    }
}
