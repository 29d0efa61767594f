import Foundation
import XCTest
import DiT

/// Issue 16 through the binary: crafted files and values end in exit 2 with one line naming the
/// file or flag and the field, computations that go non-finite in exit 1 with nothing written,
/// and output paths are checked before any work.
final class RobustnessCLITests: XCTestCase {
    let tiny = CLITests.tiny
    func fixture(_ name: String) -> String { CLITests.fixture(name) }

    func expectBadInput(_ args: [String], mentions: [String], absent: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try dit(args)
        XCTAssertEqual(r.status, 2, "exit status for \(args): \(r.stderr)", file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "'\(m)' not in: \(r.stderr)", file: file, line: line) }
        for m in absent { XCTAssertFalse(r.stderr.contains(m), "'\(m)' in: \(r.stderr)", file: file, line: line) }
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line: \(r.stderr)", file: file, line: line)
    }

    /// A .npy whose header says `shape`, with 16 bytes of data.
    func craftedNPY(_ name: String, shape: String) throws -> String {
        let path = tmp(name)
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }\n"
        var d = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0])
        d.append(Data(header.utf8)); d.append(Data(count: 16))
        try d.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A copy of the tiny model whose config.json has `field` set to the JSON text `value`.
    func tinyWithConfig(_ field: String, _ value: String, name: String = #function) throws -> String {
        let dir = tmp("model-" + name.filter(\.isLetter))
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture("model.safetensors"), toPath: dir + "/model.safetensors")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture("config.json")))) as! [String: Any]
        config[field] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: dir + "/config.json"))
        return dir
    }

    func testEtaIsBoundedToWhatDDIMDefines() throws {
        let out = tmp("eta.npy")
        try? FileManager.default.removeItem(atPath: out)
        try expectBadInput(["sample", "--model", tiny, "--eta", "1.5", "--steps", "4", "--output", out], mentions: ["--eta", "1.5", "0…1"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(try dit(["sample", "--model", tiny, "--eta", "1", "--steps", "4", "--output", out]).status, 0)
    }

    func testNonFiniteResultsExitOneAndWriteNothing() throws {
        let x = try NPY.read(fixture("x.npy"))
        for i in 0..<x.count { x[i] = 3e38 }
        let big = tmp("big.npy"), out = tmp("nonfinite.npy")
        try NPY.write(x, to: big)
        try? FileManager.default.removeItem(atPath: out)
        let f = try dit(["forward", "--model", tiny, "--x", big, "--t", "5", "--class", "0", "--output", out])
        XCTAssertEqual(f.status, 1, f.stderr)
        XCTAssertTrue(f.stderr.contains("not finite") && f.stderr.contains("nothing written"), f.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let s = try dit(["sample", "--model", tiny, "--class", "0,2", "--noise", big, "--steps", "3", "--output", out])
        XCTAssertEqual(s.status, 1, s.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testEmptyBatchIsBadInput() throws {
        try NPY.write(Tensor([0, 1, 8, 8]), to: tmp("empty.npy"))
        try expectBadInput(["forward", "--model", tiny, "--x", tmp("empty.npy"), "--t", "5", "--class", "0", "--output", tmp("o.npy")],
                           mentions: ["empty.npy", "shape", "at least one sample"])
    }

    func testCraftedFilesExitTwoNamingFileAndField() throws {
        let huge = try craftedNPY("huge.npy", shape: "(2305843009213693952, 2, 16, 16)")
        try expectBadInput(["forward", "--model", tiny, "--x", huge, "--t", "5", "--class", "0", "--output", tmp("o.npy")], mentions: ["huge.npy", "data"])
        try expectBadInput(["sample", "--model", tiny, "--noise", huge, "--output", tmp("o.npy")], mentions: ["huge.npy", "data"])
        try expectBadInput(["info", "--model", try tinyWithConfig("depth", "1000000000")], mentions: ["config.json", "depth"])
        try expectBadInput(["info", "--model", try tinyWithConfig("input_size", "4611686018427387904")], mentions: ["config.json", "input_size"])
        try expectBadInput(["info", "--model", try tinyWithConfig("mlp_ratio", "1e300")], mentions: ["config.json", "mlp_ratio"])
        let float = try tinyWithConfig("depth", "2")   // then hidden_size written as 64.0, as JSONSerialization would not
        let text = try String(contentsOfFile: fixture("config.json"), encoding: .utf8).replacingOccurrences(of: "\"hidden_size\": 64", with: "\"hidden_size\": 64.0")
        try text.write(toFile: float + "/config.json", atomically: true, encoding: .utf8)
        try expectBadInput(["info", "--model", float], mentions: ["config.json", "hidden_size", "integer"])
    }

    func testOutputPathsAreCheckedBeforeAnyWork() throws {
        for flag in ["--output", "--trajectory", "--gif"] {
            var args = ["sample", "--model", tiny, "--steps", "1000", "--output", tmp("ok.npy")]
            args += [flag, "/no/such/dir/x" + (flag == "--gif" ? ".gif" : ".npy")]
            let start = Date()
            try expectBadInput(args, mentions: ["/no/such/dir", flag, "does not exist"])
            XCTAssertLessThan(Date().timeIntervalSince(start), 5, "refused before sampling 1000 steps")
        }
        try expectBadInput(["forward", "--model", tiny, "--x", fixture("x.npy"), "--t", "5", "--class", "0", "--output", "/no/such/dir/o.npy"],
                           mentions: ["/no/such/dir", "--output"])
    }

    func testSampleReportsWhatItWroteAndTakesClassNames() throws {
        let dir = try tinyWithConfig("class_names", "[\"shirt\", \"shoe\", \"bag\"]")
        let out = tmp("named.npy")
        let r = try dit(["sample", "--model", dir, "--class", "Bag,0", "--steps", "2", "--output", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("wrote \(out)"), r.stdout)
        let byIndex = tmp("indexed.npy")
        XCTAssertEqual(try dit(["sample", "--model", dir, "--class", "2,0", "--steps", "2", "--output", byIndex]).status, 0)
        XCTAssertEqual(try NPY.read(out).array, try NPY.read(byIndex).array)
        try expectBadInput(["sample", "--model", dir, "--class", "hat", "--output", out], mentions: ["--class", "hat", "shirt, shoe, bag"])
    }

    func testMessagesNameTheRightFlagInOneLine() throws {
        let x = fixture("x.npy"), out = tmp("m.npy")
        try expectBadInput(["forward", "--model", tiny, "--x", x, "--t", "5", "--class", "6", "--output", out],
                           mentions: ["--class", "label 6 out of range"], absent: ["x.npy"])
        try expectBadInput(["forward", "--model", tiny, "--x", x, "--t", "-5", "--class", "0", "--output", out], mentions: ["--t", "-5"])
        try expectBadInput(["sample", "--model", tiny, "--cfg", "-1", "--output", out], mentions: ["--cfg", "-1"])
        try expectBadInput(["sample", "--model", tiny, "--steps", "-3", "--output", out], mentions: ["--steps", "-3"])
        try expectBadInput(["sample", "--model", tiny, "--seed", "-1", "--output", out], mentions: ["--seed", "'-1' is invalid"])
        // explore checks its settings before it looks for a terminal
        try expectBadInput(["explore", "--model", tiny, "--eta", "1.5"], mentions: ["--eta", "0…1"])
        try expectBadInput(["explore", "--model", tiny, "--cfg", "-1"], mentions: ["--cfg", "-1"])
        // Every command that samples takes the same flags, bounded by the library, named in the message.
        for command in ["sample", "explore", "eval", "compare"] {
            try expectBadInput([command, "--model", tiny, "--eta", "1.5"], mentions: ["--eta", "1.5", "0…1"])
            try expectBadInput([command, "--model", tiny, "--steps", "1001"], mentions: ["--steps", "1001", "1…1000"])
        }
    }

    /// Devices and directories are not read: /dev/zero as weights or as x.npy would never end.
    func testOnlyRegularFilesAreRead() throws {
        let dir = tmp("zero-model")
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture("config.json"), toPath: dir + "/config.json")
        try FileManager.default.createSymbolicLink(atPath: dir + "/model.safetensors", withDestinationPath: "/dev/zero")
        try expectBadInput(["info", "--model", dir], mentions: ["model.safetensors", "regular file"])
        try expectBadInput(["forward", "--model", tiny, "--x", "/dev/zero", "--t", "1", "--class", "0", "--output", tmp("o.npy")],
                           mentions: ["/dev/zero", "regular file"])
        try expectBadInput(["replay", NSTemporaryDirectory(), "--headless"], mentions: ["regular file"])
    }

    /// Defect 9: the explorer's help counts its panes (seven since Forward and Compare).
    func testExploreHelpCountsThePanes() throws {
        let help = try dit(["explore", "--help"]).stdout
        XCTAssertTrue(help.contains("1-7 panes"), help)
        XCTAssertFalse(help.contains("1-4 panes"))
    }

    /// Sizes from flags are bounded as config.json's are: no overflow trap, no huge allocation.
    func testFlopsAndBenchBoundTheirSizes() throws {
        try expectBadInput(["flops", "--input-size", "4611686018427387904"], mentions: ["--input-size", "at most 4096"])
        try expectBadInput(["flops", "--config", "S/2", "--depth", "100000"], mentions: ["--depth", "at most"])
        try expectBadInput(["flops", "--config", "S/2", "--input-size", "4096", "--patch-size", "1"], mentions: ["--patch-size", "tokens"])
        try expectBadInput(["flops", "--hidden-size", "-4"], mentions: ["--hidden-size", "-4", "positive"])
        try expectBadInput(["bench", "--config", "S/8", "--batch", "100000000000"], mentions: ["--batch", "1…1024"])
        try expectBadInput(["bench", "--config", "S/8", "--input-size", "4611686018427387904"], mentions: ["input_size", "1…4096"])
    }

    /// The README's set-up commands work on a fresh Debian as root (no sudo) and as a user with
    /// sudo, and install what CI installs.
    func testReadmeSetUpCommandsMatchCI() throws {
        let readme = try String(contentsOfFile: CLITests.repo + "/README.md", encoding: .utf8)
        let ci = try String(contentsOfFile: CLITests.repo + "/.ci/run", encoding: .utf8)
        let commands = readme.split(separator: "\n").filter { $0.contains("apt-get install") }
        XCTAssertEqual(commands.count, 2)
        func packages<S: StringProtocol>(_ line: S) -> Set<String> {
            Set(line.components(separatedBy: "install").last!.components(separatedBy: "&&")[0]
                .split(whereSeparator: { $0 == " " || $0 == "\\" || $0 == "\n" }).map(String.init).filter { !$0.hasPrefix("-") && !$0.hasPrefix(">") })
        }
        for c in commands {
            XCTAssertTrue(c.hasPrefix("$(command -v sudo) apt-get update && $(command -v sudo) apt-get install -y "), String(c))
        }
        let ciPackages = packages(ci[ci.range(of: "apt-get install")!.lowerBound...].prefix { $0 != "s" || true }.components(separatedBy: "swift --version")[0])
        XCTAssertEqual(packages(commands[1]), ciPackages, "the README's test command installs what .ci/run does")
        XCTAssertTrue(packages(commands[0]).isSubset(of: ciPackages))
    }
}
