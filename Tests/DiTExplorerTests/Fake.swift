// A small fake model and deterministic steps, so view goldens do not depend on numerics.
import DiT
import DiTRender
import Foundation
import XCTest
@testable import DiTExplorer

enum Fake {
    static let config = DiTConfig(inputSize: 8, patchSize: 2, inChannels: 1, hiddenSize: 8, depth: 2, numHeads: 2,
                                  numClasses: 3, learnSigma: true, classNames: ["T-shirt", "Trouser", "日本"])
    static let model = ModelSummary(name: "fake", config: config, parameters: 12_345, hasNullClass: true)

    static func state(steps: Int = 10, mode: ColorMode = .ascii, model: ModelSummary = model) -> ExplorerState {
        ExplorerState(model: model, settings: SamplerSettings(kind: .ddim, steps: steps, cfgScale: 4, labels: [0], seed: 0),
                      colorMode: mode)
    }

    /// Step k: a diagonal gradient fading in, ε̂ its negative, attention of query q on (q + h + 1) mod T;
    /// guided with ε_cond = ε̂ and ε_uncond = ½ ε̂ at scale 4 except every fourth step (k = 3, 7, …).
    static func step(_ k: Int, schedule: Schedule, label: Int = 0, config c: DiTConfig = config) -> StepView {
        let I = c.inputSize, T = c.tokenCount, D = c.hiddenSize
        func image(_ f: (Int, Int) -> Float) -> Planes {
            Planes(channels: 1, height: I, width: I, values: (0..<I * I).map { f($0 % I, $0 / I) })
        }
        let a = Float(k + 1) / Float(schedule.count)
        let x0 = image { x, y in Float(x + y) / Float(2 * I - 2) * 2 - 1 + Float(label) * 0.1 }
        let xt = image { x, y in a * x0.at(0, y, x) + (1 - a) * (((x * 7 + y * 3) % 5 == 0) ? 1 : -1) }
        let attention: [[Float]] = (0..<c.depth).map { b in
            var m = [Float](repeating: 0, count: c.numHeads * T * T)
            for h in 0..<c.numHeads { for q in 0..<T {
                m[(h * T + q) * T + (q + h + b + 1) % T] = 0.75
                m[(h * T + q) * T + q] += 0.25
            } }
            return m
        }
        let modulation: [[Float]] = (0..<c.depth).map { b in (0..<6 * D).map { Float(($0 % D) - D / 2) / Float(D) * Float(b + 1) * a } }
        let eps = image { x, y in -x0.at(0, y, x) }
        let guidance = k % 4 == 3 ? nil : GuidanceView(epsCond: eps, epsUncond: image { x, y in -0.5 * x0.at(0, y, x) * a }, scale: 4)
        return StepView(k: k, timestep: schedule.timesteps[k], alphaBar: schedule.alphaBars[k], xt: xt,
                        predX0: x0, eps: eps, next: xt, attention: attention,
                        modulation: modulation, tokenNorms: (0..<c.depth).map { b in (0..<T).map { Float($0 + b) } },
                        guidance: guidance, nfe: 1, milliseconds: 12, classProbabilities: [a, (1 - a) * 0.7, (1 - a) * 0.3])
    }

    /// The worker's answer for steps up to n (exclusive), in order.
    static func feed(_ s: inout ExplorerState, through n: Int) {
        while s.steps.count < min(n, s.stepCount) {
            _ = Explorer.update(&s, .worker(.stepped(generation: s.generation, step(s.steps.count, schedule: s.schedule, label: s.label, config: s.model.config))))
        }
    }

    static func keys(_ s: inout ExplorerState, _ keys: Key...) -> [Effect] {
        keys.flatMap { Explorer.update(&s, .key($0)) }
    }
}

/// Text goldens under Fixtures/goldens; DIT_UPDATE_GOLDENS=1 rewrites them in the source tree.
enum Golden {
    static func check(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let source = URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
            .appendingPathComponent("Fixtures/goldens/\(name).txt")
        if ProcessInfo.processInfo.environment["DIT_UPDATE_GOLDENS"] == "1" {
            try? text.write(to: source, atomically: true, encoding: .utf8)
            return
        }
        guard let url = Bundle.module.url(forResource: "Fixtures/goldens/\(name)", withExtension: "txt"),
              let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("missing golden \(name).txt: run with DIT_UPDATE_GOLDENS=1 and review it", file: file, line: line)
            return
        }
        if text != expected {
            let a = text.split(separator: "\n", omittingEmptySubsequences: false)
            let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
            XCTFail("\(name) differs from its golden at line \(first?.offset ?? min(a.count, b.count)):\n"
                    + "got:      \(first.map { String($0.element.0) } ?? "")\nexpected: \(first.map { String($0.element.1) } ?? "")",
                    file: file, line: line)
        }
    }
}
