// The pixel protocols' encoders against independent decoders: libsixel's sixel2png (Debian
// libsixel-bin, which CI installs) read back with Pillow, a kitty APC parser written here from
// the protocol's description, and Pillow opening the iTerm2 payload's PNG.
import DiTRender
import Foundation
import TestSupport
import XCTest

final class GraphicsEncoderTests: XCTestCase {
    /// 29 × 13 (odd sizes: a partial sixel band, runs that end mid-row): a grey ramp with a few colours.
    static let image = Raster(width: 29, height: 13) { x, y in
        y < 10 ? RGB(grey: Double((x * 7 + y * 31) % 256) / 255) : [RGB.accent, RGB.bad, RGB.link, RGB.black][x % 4]
    }

    func tmp(_ name: String) -> String { NSTemporaryDirectory() + "dit-gfx-\(getpid())-" + name }

    func testSixelDecodesPixelForPixel() throws {
        for (name, r) in [("ramp", Self.image), ("zoomed", Self.image.scaled(by: 3))] {
            let decoded = try sixel2png(Sixel.encode(r), name)
            XCTAssertEqual(decoded.width, r.width, name)
            XCTAssertEqual(decoded.height, r.height, name)
            // Registers hold percent: each channel is what a terminal shows for it, within 1 of the source.
            XCTAssertEqual(decoded.pixels, r.pixels.map(Sixel.shown), name)
        }
        XCTAssertEqual((0...255).map { Int(Sixel.shown(RGB(UInt8($0), 0, 0)).r) - $0 }.map(abs).max(), 1)
    }

    func testSixelMedianCutKeepsColoursClose() throws {
        // 1024 colours into 256 registers, and 16 (xterm's VT340): every pixel near its source.
        let r = Raster(width: 32, height: 32) { x, y in RGB(UInt8(x * 8), UInt8(y * 8), UInt8((x + y) * 4)) }
        for (registers, maxErr, meanErr) in [(256, 12, 7.0), (16, 48, 28.0)] {
            let decoded = try sixel2png(Sixel.encode(r, maxColors: registers), "cut\(registers)")
            XCTAssertEqual(Set(decoded.pixels).count, registers)
            let err = zip(decoded.pixels, r.pixels).map { max(abs(Int($0.r) - Int($1.r)), abs(Int($0.g) - Int($1.g)), abs(Int($0.b) - Int($1.b))) }
            print("median cut to \(registers): max error \(err.max()!), mean \(Double(err.reduce(0, +)) / Double(err.count))")
            XCTAssertLessThanOrEqual(err.max()!, maxErr)
            XCTAssertLessThan(Double(err.reduce(0, +)) / Double(err.count), meanErr)
        }
    }

    func testKittyPayloadDecodes() throws {
        let r = Self.image.scaled(by: 5)   // 145 × 65 × 3 bytes: several 4096-byte chunks
        let bytes = KittyGraphics.display(r, id: 7, keepCursor: true)
        let (keys, rgb) = try XCTUnwrap(Self.kitty(bytes))
        XCTAssertEqual(keys["a"], "T"); XCTAssertEqual(keys["f"], "24"); XCTAssertEqual(keys["i"], "7"); XCTAssertEqual(keys["C"], "1")
        XCTAssertEqual(keys["s"], "145"); XCTAssertEqual(keys["v"], "65")
        XCTAssertEqual(rgb, r.pixels.flatMap { [$0.r, $0.g, $0.b] })
        // Through tmux: each chunk in its own DCS tmux; with ESCs doubled; unwrapped, the same bytes.
        let wrapped = KittyGraphics.display(r, id: 7, keepCursor: true, passthrough: true)
        XCTAssertEqual(Self.unwrapTmux(wrapped), bytes)
    }

    func testITerm2PayloadIsAPNGPillowOpens() throws {
        let r = Self.image.scaled(by: 2)
        let text = String(decoding: ITerm2Image.display(r, keepCursor: false), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{1B}]1337;File=inline=1;size="), text.prefix(40).debugDescription)
        XCTAssertTrue(text.hasSuffix("\u{07}"))
        let b64 = text.split(separator: ":", maxSplits: 1)[1].dropLast()
        let png = try XCTUnwrap(Data(base64Encoded: String(b64)))
        XCTAssertTrue(text.contains("size=\(png.count);width=58px;height=26px"))
        let path = tmp("iterm.png")
        try png.write(to: URL(fileURLWithPath: path))
        guard let decoded = try Decoders.pillow(path) else { throw XCTSkip("no Pillow") }
        XCTAssertEqual(decoded.width, 58); XCTAssertEqual(decoded.height, 26)
        XCTAssertEqual(decoded.rgb, r.pixels.flatMap { [$0.r, $0.g, $0.b] })
        // Multipart through tmux: the parts' base64 joins to the same PNG.
        let parts = String(decoding: Self.unwrapTmux(ITerm2Image.display(r, keepCursor: false, passthrough: true)), as: UTF8.self)
        let joined = parts.components(separatedBy: "FilePart=").dropFirst().map { $0.prefix { $0 != "\u{07}" } }.joined()
        XCTAssertEqual(Data(base64Encoded: joined), png)
        XCTAssertTrue(parts.hasSuffix("\u{1B}]1337;FileEnd\u{07}"))
    }

    // MARK: decoders

    /// sixel2png, then Pillow's RGB bytes.
    func sixel2png(_ sixel: [UInt8], _ name: String) throws -> Raster {
        let six = tmp(name + ".six"), png = tmp(name + ".png")
        try Data(sixel).write(to: URL(fileURLWithPath: six))
        let r = Decoders.run("sixel2png", ["-i", six, "-o", png])
        guard r.status == 0 else { throw XCTSkip("sixel2png (Debian libsixel-bin) is not installed; CI installs it") }
        guard let d = try Decoders.pillow(png) else { throw XCTSkip("no Pillow") }
        return Raster(width: d.width, height: d.height) { x, y in
            let i = 3 * (y * d.width + x)
            return RGB(d.rgb[i], d.rgb[i + 1], d.rgb[i + 2])
        }
    }

    /// The control keys of the first APC G chunk and the decoded payload of all of them (m=1 continues).
    static func kitty(_ bytes: [UInt8]) -> (keys: [String: String], payload: [UInt8])? {
        let text = String(decoding: bytes, as: UTF8.self)
        var keys: [String: String] = [:], b64 = ""
        for chunk in text.components(separatedBy: "\u{1B}\\") where !chunk.isEmpty {
            guard chunk.hasPrefix("\u{1B}_G"), let semi = chunk.firstIndex(of: ";") else { return nil }
            let control = chunk[chunk.index(chunk.startIndex, offsetBy: 3)..<semi].split(separator: ",")
            for kv in control { let p = kv.split(separator: "="); if keys[String(p[0])] == nil || p[0] != "m" { keys[String(p[0])] = String(p[1]) } }
            b64 += chunk[chunk.index(after: semi)...]
        }
        return Data(base64Encoded: b64).map { (keys, [UInt8]($0)) }
    }

    /// DCS tmux; … ST wrappers removed, doubled ESCs undone.
    static func unwrapTmux(_ bytes: [UInt8]) -> [UInt8] {
        let head = Array("\u{1B}Ptmux;".utf8)
        var out = [UInt8](), i = 0
        while i < bytes.count {
            guard Array(bytes[i..<min(bytes.count, i + head.count)]) == head else { XCTFail("not wrapped at \(i)"); return out }
            i += head.count
            while i < bytes.count {
                if bytes[i] == 0x1B && i + 1 < bytes.count && bytes[i + 1] == 0x1B { out.append(0x1B); i += 2; continue }
                if bytes[i] == 0x1B && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\\") { i += 2; break }
                out.append(bytes[i]); i += 1
            }
        }
        return out
    }
}
