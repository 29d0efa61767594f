// `dit grid`: every cell of the contact sheet is the sample `dit sample` draws with the same
// settings; the axes' values are checked and named by their flag before any sampling.
import Foundation
import XCTest
import DiT

extension CLITests {
    func testGridCellsAreTheSamplesOfDitSample() throws {
        let sheet = tmp("grid-sheet.png"), npy = (sheet as NSString).deletingPathExtension + ".npy"
        let r = try dit(["grid", "--model", Self.tiny, "--rows", "cfg=1,3", "--cols", "seed=1,2,7", "--steps", "3", "--class", "2",
                         "--scale", "2", "--output", sheet])
        XCTAssertEqual(r.status, 0, r.stderr)
        let grid = try NPY.read(npy)
        XCTAssertEqual(grid.shape, [2, 3, 1, 8, 8])
        for (i, cfg) in ["1", "3"].enumerated() {
            for (j, seed) in ["1", "2", "7"].enumerated() {
                let one = tmp("grid-one.npy")
                XCTAssertEqual(try dit(["sample", "--model", Self.tiny, "--class", "2", "--seed", seed, "--cfg", cfg, "--steps", "3", "--output", one]).status, 0)
                XCTAssertEqual(Array(grid.array[(i * 3 + j) * 64..<(i * 3 + j + 1) * 64]), try NPY.read(one).array, "cell cfg \(cfg), seed \(seed)")
            }
        }
        let png = try PNG.read(sheet)
        XCTAssertGreaterThan(png.width, 3 * 16 + 29, "three 16-pixel tiles and the row label cfg=3 (5 glyphs of 6 pixels)")
        XCTAssertGreaterThan(png.height, 2 * 16 + 2 * 8, "two tiles and the column labels")
        XCTAssertTrue(r.stdout.contains("wrote \(sheet)") && r.stdout.contains("wrote \(npy)"), r.stdout)
    }

    func testGridAblateSamplerAndNFEAxes() throws {
        let sheet = tmp("grid-nfe.png"), npy = (sheet as NSString).deletingPathExtension + ".npy"
        let r = try dit(["grid", "--model", Self.tiny, "--rows", "nfe=3,4", "--cols", "sampler=ddim,heun", "--output", sheet])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("row 2, column 2: heun takes 3 network evaluations (2 steps)"), r.stdout)
        let heun = tmp("grid-heun.npy")
        XCTAssertEqual(try dit(["sample", "--model", Self.tiny, "--sampler", "heun", "--steps", "2", "--output", heun]).status, 0)
        XCTAssertEqual(Array(try NPY.read(npy).array.suffix(64)), try NPY.read(heun).array, "nfe 4 with heun: 2 steps")
        let ablated = tmp("grid-ablate.png")
        let a = try dit(["grid", "--model", Self.tiny, "--rows", "ablate=none,block.1+head.0.2", "--cols", "class=0", "--steps", "2", "--output", ablated])
        XCTAssertEqual(a.status, 0, a.stderr)
        let one = tmp("grid-ablate-one.npy")
        XCTAssertEqual(try dit(["sample", "--model", Self.tiny, "--steps", "2", "--ablate", "block.1", "--ablate", "head.0.2", "--output", one]).status, 0)
        let cells = try NPY.read((ablated as NSString).deletingPathExtension + ".npy").array
        XCTAssertEqual(Array(cells.suffix(64)), try NPY.read(one).array)
        XCTAssertNotEqual(Array(cells.prefix(64)), Array(cells.suffix(64)))
    }

    func testGridBadInputsNameTheFlag() throws {
        let out = tmp("grid-bad.png"), npy = (out as NSString).deletingPathExtension + ".npy"
        let base = ["grid", "--model", Self.tiny, "--output", out]
        try expectBadInput(base + ["--rows", "colour=1,2", "--cols", "seed=1"], mentions: ["--rows", "colour=1,2", "class, seed, cfg"])
        try expectBadInput(base + ["--rows", "cfg", "--cols", "seed=1"], mentions: ["--rows", "AXIS=V1,V2"])
        try expectBadInput(base + ["--rows", "seed=1", "--cols", "seed=2"], mentions: ["--cols", "another axis"])
        try expectBadInput(base + ["--rows", "cfg=1,,2", "--cols", "seed=1"], mentions: ["--rows", "non-empty"])
        try expectBadInput(base + ["--rows", "cfg=1,x", "--cols", "seed=1"], mentions: ["--rows", "cfg=x", "guidance scale"])
        try expectBadInput(base + ["--rows", "cfg=-1", "--cols", "seed=1"], mentions: ["--rows", "cfg=-1", "≥ 0"])
        try expectBadInput(base + ["--rows", "cfg=1", "--cols", "steps=0"], mentions: ["--cols", "steps=0", "1…1000"])
        try expectBadInput(base + ["--rows", "cfg=1", "--cols", "sampler=plms"], mentions: ["--cols", "sampler=plms", "ddim"])
        try expectBadInput(base + ["--rows", "cfg=1", "--cols", "class=7"], mentions: ["--cols", "class=7", "0…2"])
        try expectBadInput(base + ["--rows", "cfg=1", "--cols", "nfe=0"], mentions: ["--cols", "nfe=0", "≥ 1"])
        try expectBadInput(base + ["--rows", "cfg=1", "--cols", "seed=-3"], mentions: ["--cols", "seed=-3"])
        try expectBadInput(base + ["--rows", "ablate=block.2", "--cols", "seed=1"], mentions: ["--rows", "ablate=block.2", "0…1"])
        try expectBadInput(base + ["--rows", "model=/nonexistent", "--cols", "seed=1"], mentions: ["--rows", "model=/nonexistent"])
        let other = Self.repo + "/Tests/DiTTests/Fixtures/conditioning/adaLN"   // 2 channels, not the tiny model's 1
        try expectBadInput(base + ["--rows", "model=\(Self.tiny),\(other)", "--cols", "seed=1"], mentions: ["--rows", "image shape"])
        try expectBadInput(base + ["--rows", "cfg=1", "--cols", "seed=1", "--scale", "0"], mentions: ["--scale"])
        try expectBadInput(["grid", "--model", Self.tiny, "--rows", "cfg=1", "--cols", "seed=1", "--output", tmp("g.npy")], mentions: ["--output", ".png"])
        try expectBadInput(["grid", "--model", Self.tiny, "--rows", "cfg=1", "--cols", "seed=1", "--output", "/nonexistent-dir/g.png"],
                           mentions: ["--output", "/nonexistent-dir"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out) || FileManager.default.fileExists(atPath: npy), "nothing written")
    }
}
