// The inputs of the forward process shared by `dit noise` and `dit loss`: x_0 (N, C, H, W), one
// timestep per row, ε of the same shape. Every mismatch names the file or flag at fault.
import ArgumentParser
import DiT
import Foundation

struct NoisedInputOptions: ParsableArguments {
    @Option(name: .customLong("x0"), help: ArgumentHelp("Clean images x_0 (N, C, H, W) float .npy.", valueName: "x0.npy")) var x0: String
    @Option(name: .customLong("t"), help: ArgumentHelp("Timesteps 0…999, one per row (or one for all).", valueName: "t,…")) var t: String
    @Option(help: ArgumentHelp("Noise ε (N, C, H, W) .npy, the shape of x_0.", valueName: "eps.npy")) var noise: String

    /// x_0, its timesteps and ε, checked against each other and the 1000-step schedule.
    func load() throws -> (x0: Tensor, t: [Int], noise: Tensor) {
        let x = try readArray(x0, flag: "--x0")
        guard x.shape.count == 4, x.shape[0] >= 1 else {
            throw DiTError(file: x0, field: "shape", "expected (N, C, H, W) with N ≥ 1 (--x0), found \(x.shape)")
        }
        let ts = try broadcast(parseIntList(t, flag: "--t"), to: x.shape[0], flag: "--t")
        try ForwardProcess.linear.validate(timesteps: ts, source: "--t")
        let eps = try readArray(noise, flag: "--noise", shape: x.shape)
        return (x, ts, eps)
    }
}

/// Writes `t` as .npy only when every value is finite; otherwise says where, exits 1, writes nothing.
func writeFinite(_ t: Tensor, to path: String, what: String) throws {
    if let bad = (0..<t.count).first(where: { !t[$0].isFinite }) {
        FileHandle.standardError.write(Data("dit: error: \(what) is not finite (\(t[bad]) at flat index \(bad)); \(path) not written\n".utf8))
        throw ExitCode(1)
    }
    try NPY.write(t, to: path)
}
