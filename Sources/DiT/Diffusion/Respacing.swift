// space_timesteps of improved-diffusion's respace.py, as DiT's diffusion/respace.py keeps it:
// "ddimN" takes the stride that yields exactly N steps; "N" or "N1,N2,..." splits the original
// steps into equal sections and takes evenly strided steps in each, rounding half to even as
// Python's round() does.

public enum Respacing {
    /// The kept original timesteps, ascending.
    public static func spaceTimesteps(_ numTimesteps: Int, _ sectionCounts: String) throws -> [Int] {
        let spec = sectionCounts.trimmingCharacters(in: .whitespaces)
        if spec.hasPrefix("ddim") {
            guard let desired = Int(spec.dropFirst(4)), desired > 0 else {
                throw SettingError(.steps, spec, expected: "ddimN with a positive integer N")
            }
            for step in 1..<max(numTimesteps, 2) where (numTimesteps + step - 1) / step == desired {
                return Array(stride(from: 0, to: numTimesteps, by: step))
            }
            throw SettingError(.steps, spec, expected: "a count an integer stride gives; cannot create exactly \(desired) steps with an integer stride over \(numTimesteps)")
        }
        let counts = spec.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 != nil && $0! > 0 }) else {
            throw SettingError(.steps, spec, expected: "a positive integer, a comma-separated list of them, or ddimN")
        }
        let sizePer = numTimesteps / counts.count, extra = numTimesteps % counts.count
        var start = 0
        var all = Set<Int>()
        for (i, count) in counts.map({ $0! }).enumerated() {
            let size = sizePer + (i < extra ? 1 : 0)
            guard size >= count else {
                throw SettingError(.steps, spec, expected: "at most one step per timestep; cannot divide a section of \(size) steps into \(count)")
            }
            let stride = count <= 1 ? 1.0 : Double(size - 1) / Double(count - 1)
            var cur = 0.0
            for _ in 0..<count {
                all.insert(start + Int(cur.rounded(.toNearestOrEven)))
                cur += stride
            }
            start += size
        }
        return all.sorted()
    }
}

import Foundation
