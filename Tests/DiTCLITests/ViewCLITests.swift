// `dit view` through the binary: kitty and sixel output decode to the source pixels at the
// chosen whole-number scale (kitty: the APC payload; sixel: libsixel's sixel2png, then Pillow),
// cells print half blocks, bad input exits 2 naming the file or flag, and --graphics auto in a
// pseudo-terminal that never answers falls back to cells within the timeout.
import DiT
import Foundation
import XCTest

final class ViewCLITests: XCTestCase {
    /// (3, 1, 5, 7) in [-1, 1] at exact byte levels: image i, pixel (x, y) is byte (37·i + 11·x + 29·y) mod 256.
    static func byte(_ i: Int, _ x: Int, _ y: Int) -> UInt8 { UInt8((37 * i + 11 * x + 29 * y) % 256) }
    func samples() throws -> String {
        let t = Tensor([3, 1, 5, 7])
        for i in 0..<3 { for y in 0..<5 { for x in 0..<7 { t.data[(i * 5 + y) * 7 + x] = Float(Self.byte(i, x, y)) / 127.5 - 1 } } }
        let path = tmp("view-samples.npy")
        try NPY.write(t, to: path)
        return path
    }

    /// Image i of samples() enlarged k times, as RGB bytes.
    func expected(_ i: Int, scale k: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 5 * k * 7 * k * 3)
        for y in 0..<5 * k { for x in 0..<7 * k { let v = Self.byte(i, x / k, y / k), o = 3 * (y * 7 * k + x); out[o] = v; out[o + 1] = v; out[o + 2] = v } }
        return out
    }

    /// The kitty APC chunks' keys and decoded RGB.
    func kitty(_ out: String) throws -> (keys: [String: String], rgb: [UInt8]) {
        var keys: [String: String] = [:], b64 = ""
        for chunk in out.components(separatedBy: "\u{1B}\\") where chunk.hasPrefix("\u{1B}_G") {
            let parts = chunk.dropFirst(3).split(separator: ";", maxSplits: 1)
            for kv in parts[0].split(separator: ",") where !kv.hasPrefix("m=") { let p = kv.split(separator: "="); keys[String(p[0])] = String(p[1]) }
            b64 += parts[1]
        }
        return (keys, [UInt8](try XCTUnwrap(Data(base64Encoded: b64))))
    }

    func testKittyDecodesToTheSourcePixels() throws {
        let path = try samples()
        let r = try dit(["view", path, "--index", "2", "--graphics", "kitty", "--scale", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let (keys, rgb) = try kitty(r.stdout)
        XCTAssertEqual(keys["f"], "24"); XCTAssertEqual(keys["s"], "21"); XCTAssertEqual(keys["v"], "15")
        XCTAssertEqual(rgb, expected(2, scale: 3))
        // Without --scale, and without a terminal: the largest zoom of 80 × 23 cells of 10 × 20 px.
        let fit = try kitty(try dit(["view", path, "--index", "0", "--graphics", "kitty"]).stdout)
        XCTAssertEqual(fit.keys["s"], "\(7 * 92)"); XCTAssertEqual(fit.rgb, expected(0, scale: 92))
        // --width 35 columns: 350 px for a 7-px image, 50×.
        XCTAssertEqual(try kitty(try dit(["view", path, "--index", "1", "--graphics", "kitty", "--width", "35"]).stdout).rgb, expected(1, scale: 50))
    }

    func testSixelDecodesToTheSourcePixels() throws {
        let path = try samples(), six = tmp("view.six"), png = tmp("view-six.png")
        let r = try dit(["view", path, "--index", "1", "--graphics", "sixel", "--scale", "4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        try Data(r.stdout.utf8).write(to: URL(fileURLWithPath: six))
        guard run("sixel2png", ["-i", six, "-o", png]).status == 0 else { throw XCTSkip("no sixel2png (Debian libsixel-bin; CI installs it)") }
        let rgb = try pillowRGB(png)
        XCTAssertEqual(rgb.width, 28); XCTAssertEqual(rgb.height, 20)
        // Sixel registers are in percent: each value comes back as round(round(v·100/255)·255/100), within 1.
        let shown: [UInt8] = expected(1, scale: 4).map { (v: UInt8) -> UInt8 in
            let percent = (Int(v) * 100 + 127) / 255
            return UInt8((percent * 255 + 50) / 100)
        }
        XCTAssertEqual(rgb.bytes, shown)
    }

    func testCellsPrintHalfBlocksAndPNGsWork() throws {
        let path = try samples()
        let cells = try dit(["view", path, "--graphics", "cells", "--color", "truecolor"])
        XCTAssertEqual(cells.status, 0, cells.stderr)
        // Three 7 × 5 images in a make_grid of 2 columns (2-px borders): 20 × 16 px, 2× in 80 × 23 cells.
        let lines = cells.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 16)
        XCTAssertEqual(lines[0].filter { $0 == "▀" }.count, 40)
        XCTAssertTrue(cells.stdout.contains("\u{1B}[0;38;2;"), "truecolour SGR")
        // A PNG (RGB) through kitty at 2×.
        let pngPath = tmp("view-in.png")
        var px = [UInt8]()
        for i in 0..<6 * 4 { px += [UInt8(i * 10), UInt8(255 - i * 10), UInt8(i * 3)] }
        try PNG.write(pixels: px, width: 6, height: 4, channels: 3, to: pngPath)
        let (keys, rgb) = try kitty(try dit(["view", pngPath, "--graphics", "kitty", "--scale", "2"]).stdout)
        XCTAssertEqual(keys["s"], "12")
        var zoomed = [UInt8]()
        for y in 0..<8 { for x in 0..<12 { let i = 3 * ((y / 2) * 6 + x / 2); zoomed += px[i..<i + 3] } }
        XCTAssertEqual(rgb, zoomed)
    }

    func testBadInputNamesTheFileOrFlag() throws {
        let path = try samples()
        func bad(_ args: [String], _ mentions: [String]) throws {
            let r = try dit(["view"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            for m in mentions { XCTAssertTrue(r.stderr.contains(m), "'\(m)' not in \(r.stderr)") }
            XCTAssertTrue(r.stdout.isEmpty)
        }
        try bad(["/no/such.npy"], ["/no/such.npy", "cannot read"])
        try bad([path, "--index", "3"], [path, "--index", "0…2"])
        try bad([path, "--index", "-1"], ["--index", "≥ 0"])
        try bad([path, "--width", "0"], ["--width", "1…10000"])
        try bad([path, "--scale", "0"], ["--scale"])
        try bad([path, "--graphics", "gif"], ["--graphics", "auto"])
        let text = tmp("view-not-an-image.txt")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        try bad([text], [text, "expected a NumPy .npy array", "PNG"])
        let six = tmp("view-6d.npy")   // 5-D is a trajectory (ClassroomCLITests)
        try NPY.write(Tensor([1, 1, 1, 1, 2, 2]), to: six)
        try bad([six], [six, "shape", "(N, C, H, W)"])
        let nan = tmp("view-nan.npy"), t = Tensor([2, 2]); t.data[1] = .nan
        try NPY.write(t, to: nan)
        try bad([nan], [nan, "finite"])
        let broken = tmp("view-broken.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: URL(fileURLWithPath: broken))
        try bad([broken], [broken, "PNG"])
        let png = tmp("view-one.png")
        try PNG.write(pixels: [1, 2, 3], width: 1, height: 1, channels: 3, to: png)
        try bad([png, "--index", "0"], [png, "--index"])
    }

    /// --graphics auto in a pseudo-terminal: one that never answers gives cells after the
    /// timeout; one that answers DA1 with sixel (4) and a cell size gets sixel.
    func testAutoDetectionInAPseudoTerminal() throws {
        let path = try samples()
        guard let python = ["/usr/bin/python3", "python3"].first(where: { run($0, ["-c", "import pty"]).status == 0 }) else {
            throw XCTSkip("no python3 for the pseudo-terminal")
        }
        let script = """
            import os, pty, select, sys, time
            answer = sys.argv[1].encode().decode("unicode_escape").encode("latin-1")
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[2], sys.argv[2:])
            out, asked, start = b"", False, time.time()
            while time.time() - start < 10:
                r, _, _ = select.select([fd], [], [], 0.05)
                if fd in r:
                    try: chunk = os.read(fd, 65536)
                    except OSError: break
                    if not chunk: break
                    out += chunk
                    if not asked and b"\\x1b[c" in out:
                        asked = True
                        if answer: os.write(fd, answer)
            os.waitpid(pid, 0)
            sys.stdout.write("%.2f\\n" % (time.time() - start))
            sys.stdout.buffer.write(out)
            """
        let bin = Bundle.main.bundleURL.appendingPathComponent("dit").path
        let silent = run(python, ["-c", script, "", bin, "view", path, "--index", "0"])
        let seconds = Double(silent.out.prefix { $0 != "\n" }) ?? 99
        XCTAssertTrue(silent.out.contains("\u{1B}[c"), "DA1 was asked")
        XCTAssertTrue(silent.out.contains("▀"), "no answer: half blocks")
        XCTAssertFalse(silent.out.contains("\u{1B}P0;1;0q"))
        XCTAssertLessThan(seconds, 3, "the timeout, not a hang")
        let sixel = run(python, ["-c", script, "\\x1b[6;20;10t\\x1b[?62;4;22c", bin, "view", path, "--index", "0"])
        XCTAssertTrue(sixel.out.contains("\u{1B}P0;1;0q\"1;1;"), "DA1 lists sixel: a sixel image")
        XCTAssertFalse(sixel.out.contains("▀"))
    }

    // MARK: tools

    func run(_ tool: String, _ args: [String]) -> (status: Int32, out: String) {
        let p = Process(), pipe = Pipe()
        (p.executableURL, p.arguments) = (URL(fileURLWithPath: "/usr/bin/env"), [tool] + args)
        (p.standardOutput, p.standardError) = (pipe, FileHandle.nullDevice)
        do { try p.run() } catch { return (-1, "") }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    func pillowRGB(_ png: String) throws -> (width: Int, height: Int, bytes: [UInt8]) {
        let raw = png + ".rgb"
        let python = FileManager.default.fileExists(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"   // Debian's, with python3-pil
        let r = run(python, ["-c", "import sys; from PIL import Image; im = Image.open(sys.argv[1]).convert('RGB'); open(sys.argv[2], 'wb').write(im.tobytes()); print(im.size[0], im.size[1])", png, raw])
        guard r.status == 0 else { throw XCTSkip("no Pillow (Debian python3-pil)") }
        let size = r.out.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
        return (size[0], size[1], [UInt8](FileManager.default.contents(atPath: raw) ?? Data()))
    }
}
