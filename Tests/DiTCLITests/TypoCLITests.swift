import Foundation
import XCTest

/// Issue 27, item 7: a misspelt subcommand or option is answered with the nearest real name, and a
/// negative number after an option is read as its value, then refused by that option's bounds
/// (exit 2, naming the flag) instead of "Missing value".
extension CLITests {
    func testMisspeltSubcommandsAndOptionsGetTheNearestName() throws {
        try expectBadInput(["smaple", "--output", "a.png"], mentions: ["'smaple'", "did you mean `sample`?"])
        try expectBadInput(["sampel"], mentions: ["'sampel'", "did you mean `sample`?"])
        try expectBadInput(["sample", "--ouput", "a.png"], mentions: ["'--ouput'", "did you mean '--output'?"])
        try expectBadInput(["--modle", Self.tiny], mentions: ["'--modle'", "did you mean '--model'?"])
        try expectBadInput(["xyzzy"], mentions: ["'xyzzy'", "expected one of", "sample", "view"])
        try expectBadInput(["sample", "--zzzzzz", "1", "--output", "a.png"], mentions: ["'--zzzzzz'", "dit sample --help"])
        let r = try dit(["sample", "--model", Self.tiny, "--class", "0", "--steps", "2", "--output", tmp("typo-ok.npy")])
        XCTAssertEqual(r.status, 0, "a correct command is untouched: \(r.stderr)")
    }

    func testNegativeNumbersReachTheirBounds() throws {
        let x0 = Self.forwardFixture("x0.npy"), eps = Self.forwardFixture("noise.npy"), out = tmp("neg.npy")
        try expectBadInput(["noise", "--x0", x0, "--t", "-1", "--noise", eps, "--output", out], mentions: ["--t", "-1"])
        try expectBadInput(["noise", "--x0", x0, "--t", "-1,5,5,5,5,5", "--noise", eps, "--output", out], mentions: ["--t", "-1"])
        try expectBadInput(["eval", "--model", EvalCLITests.model, "--samples", "-10", "--quiet"], mentions: ["--samples", "-10"])
        try expectBadInput(["compare", "--model", Self.tiny, "--columns", "-3"], mentions: ["--columns", "-3"])
        try expectBadInput(["replay", "x.jsonl", "--speed", "-2"], mentions: ["--speed", "-2"])
        try expectBadInput(["sample", "--model", Self.tiny, "--steps", "-5", "--output", out], mentions: ["--steps", "-5"])
        try expectBadInput(["view", x0, "--width", "-4"], mentions: ["--width", "-4"])
        for args in [["noise", "--t", "-1"], ["eval", "--samples", "-10"]] {
            XCTAssertFalse(try dit(args).stderr.contains("Missing value"), "\(args)")
        }
    }
}
