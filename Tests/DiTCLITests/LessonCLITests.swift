// `dit lesson`: its arguments are checked before the screen is taken.
import XCTest

extension CLITests {
    func testLessonRejectsAnUnknownLanguageOrChapter() throws {
        for (args, flag) in [(["--lang", "fr"], "--lang"), (["--chapter", "10"], "--chapter"), (["--chapter", "0"], "--chapter")] {
            let r = try dit(["lesson", "--model", Self.tiny] + args)
            XCTAssertEqual(r.status, 2, args.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains(flag), r.stderr)
        }
        XCTAssertTrue(try dit(["lesson", "--lang", "xx"]).stderr.contains("'en' and 'ja'"), "the choices are named")
        XCTAssertTrue(try dit(["lesson", "--chapter", "12"]).stderr.contains("--chapter must be in 1…9, found 12"))
    }

    func testLessonNeedsATerminal() throws {
        let r = try dit(["lesson", "--model", Self.tiny, "--lang", "ja", "--chapter", "3"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("the explorer needs a terminal"), r.stderr)
    }

    func testLessonIsListedInTheHelp() throws {
        XCTAssertTrue(try dit(["--help"]).stdout.contains("lesson"))
    }
}

extension CLITests {
    /// Issue 16, defect 8: `dit lesson` takes --export-dir, as `dit explore` does.
    func testLessonTakesAnExportDirectory() throws {
        XCTAssertTrue(try dit(["lesson", "--help"]).stdout.contains("--export-dir"))
        let r = try dit(["lesson", "--model", Self.tiny, "--export-dir", NSTemporaryDirectory()])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("the explorer needs a terminal"), "accepted, then stopped for want of a terminal: \(r.stderr)")
    }
}
