// Standard decoders for exported files (shared by the test targets): `file` (libmagic), which CI installs and every test
// runs, and Pillow, used when a Python with PIL is found (skipped cleanly otherwise).
import Foundation
import XCTest

public enum Decoders {
    public static func run(_ tool: String, _ args: [String]) -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return (-1, "") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `file -b PATH`, e.g. "PNG image data, 264 x 264, 8-bit/color RGB, non-interlaced".
    public static func file(_ path: String) throws -> String {
        let r = run("file", ["-b", path])
        guard r.status == 0 else { throw XCTSkip("`file` is not installed (CI installs it)") }
        return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A Python that imports PIL: Debian's python3-pil lives under /usr/bin/python3.
    public static let python: String? = ["/usr/bin/python3", "python3"].first { run($0, ["-c", "import PIL"]).status == 0 }

    /// Pillow decodes every frame of `path`: (width, height, frame count, loop, durations, RGB
    /// bytes of all frames one after the other). Nil when no Pillow.
    public static func pillow(_ path: String) throws -> (width: Int, height: Int, frames: Int, loop: Int?, durations: [Int], rgb: [UInt8])? {
        guard let python else { return nil }
        let raw = path + ".raw"
        let script = """
            import json, sys
            from PIL import Image, ImageSequence
            im = Image.open(sys.argv[1]); out = open(sys.argv[2], "wb"); durations = []
            for f in ImageSequence.Iterator(im):
                out.write(f.convert("RGB").tobytes()); durations.append(f.info.get("duration", 0))
            print(json.dumps({"size": im.size, "frames": getattr(im, "n_frames", 1), "loop": im.info.get("loop"), "durations": durations}))
            """
        let r = run(python, ["-c", script, path, raw])
        guard r.status == 0, let meta = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any],
              let size = meta["size"] as? [Int] else { XCTFail("Pillow could not decode \(path): \(r.out)"); return nil }
        let bytes = [UInt8](FileManager.default.contents(atPath: raw) ?? Data())
        return (size[0], size[1], meta["frames"] as? Int ?? 0, meta["loop"] as? Int, meta["durations"] as? [Int] ?? [], bytes)
    }
}
