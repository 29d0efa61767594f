import Foundation
import XCTest
@testable import DiT

/// DPM-Solver++(2M), Euler and Heun against diffusers (Fixtures/solvers, made by
/// training/make_solver_fixtures.py on the tiny official-format model), and the guidance rules.
final class SolverParityTests: XCTestCase {
    struct Case: Decodable { var file: String; var sampler: String; var karras: Bool; var steps: Int; var cfg: Float
                             var interval: [Float]?; var thresholding: Bool?; var timesteps: [Float]; var nfe: Int }
    struct Sched: Decodable { var timesteps: [Double]; var sigmas: [Double]; var init_noise_sigma: Double }
    struct Manifest: Decodable { var cases: [Case]; var schedules: [String: [String: Sched]] }

    static let dir = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/solvers").path
    static let manifest = try! JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/solvers.json")))

    func settings(_ c: Case) -> SamplerSettings {
        SamplerSettings(kind: SamplerKind(rawValue: c.sampler)!, steps: c.steps, cfgScale: c.cfg, labels: Fixture.labels,
                        karras: c.karras, cfgInterval: c.interval.map { $0[0]...$0[1] }, thresholding: c.thresholding ?? false)
    }

    func testEveryCaseMatchesDiffusers() throws {
        let model = try Fixture.model(), z = try Fixture.npy("noise.npy")
        var report: [String] = []
        for c in Self.manifest.cases {
            let s = try Sampler(model: model, settings: settings(c), noise: NoiseSource(seed: 0, initial: z))
            let x = try s.run()
            let ref = try NPY.read(Self.dir + "/" + c.file)
            var d: Float = 0
            for i in 0..<ref.count { d = max(d, abs(x[i] - ref[i])) }
            report.append("\(c.file): max |Δ| = \(d) (max |x| \(ref.maxAbs))")
            XCTAssertLessThanOrEqual(d, 1e-3, c.file)
            XCTAssertEqual(s.history.map(\.timestep).count, c.steps)
            XCTAssertEqual(s.nfe, c.nfe, "\(c.file): network evaluations")
        }
        print(report.joined(separator: "\n"))
    }

    /// The timesteps and σ of set_timesteps for several step counts, through the solvers' tables.
    func testSchedulesMatchSetTimesteps() throws {
        for (key, counts) in Self.manifest.schedules {
            let karras = key.hasSuffix("_karras"), kind = SamplerKind(rawValue: key.replacingOccurrences(of: "_karras", with: ""))!
            for (n, ref) in counts {
                let solver = try SamplerSettings(kind: kind, steps: Int(n)!, karras: karras).solver(learnSigma: true)
                let sigmas: [Float], timesteps: [Double]
                switch solver {
                case let d as DPMSolverMultistep: sigmas = d.sigmas; timesteps = ref.timesteps
                case let e as EulerDiscrete: sigmas = e.sigmas; timesteps = ref.timesteps
                case let h as HeunDiscrete:
                    // the scheduler interleaves: t0, t1, t1, t2, t2, …; σ0, σ1, σ1, …, σ_{K−1}, σ_{K−1}, 0
                    sigmas = h.sigmas
                    timesteps = [ref.timesteps[0]] + stride(from: 1, to: ref.timesteps.count, by: 2).map { ref.timesteps[$0] }
                    XCTAssertEqual(ref.sigmas.count, 2 * Int(n)!)
                default: XCTFail(key); return
                }
                let refSigmas = kind == .heun ? [ref.sigmas[0]] + stride(from: 1, to: ref.sigmas.count, by: 2).map { ref.sigmas[$0] } : ref.sigmas
                XCTAssertEqual(sigmas.count, refSigmas.count, "\(key) \(n)")
                for (a, b) in zip(sigmas, refSigmas) { XCTAssertEqual(Double(a), b, accuracy: 1e-6 * max(1, b), "\(key) \(n) σ") }
                XCTAssertEqual(solver.timesteps.count, timesteps.count, "\(key) \(n)")
                for (a, b) in zip(solver.timesteps, timesteps) { XCTAssertEqual(Double(a), b, accuracy: 1e-3, "\(key) \(n) t") }
                let z = Tensor([1, 1, 1, 1], [1])
                XCTAssertEqual(Double(solver.initialState(z)[0]), ref.init_noise_sigma, accuracy: 1e-6 * ref.init_noise_sigma, "\(key) \(n) init σ")
            }
        }
    }

    /// --cfg-interval 0,999 is plain CFG bit for bit, for every solver; an empty-looking interval
    /// away from all timesteps is the conditional model (CFG 1) bit for bit.
    func testIntervalIdentities() throws {
        let model = try Fixture.model(), z = try Fixture.npy("noise.npy")
        for kind in [SamplerKind.ddim, .dpmSolver, .heun] {   // guidance is one place (Denoiser) for all
            func run(_ cfg: Float, _ interval: ClosedRange<Float>?) throws -> [Float] {
                let st = SamplerSettings(kind: kind, steps: 3, cfgScale: cfg, labels: Fixture.labels, cfgInterval: interval)
                return try Sampler(model: model, settings: st, noise: NoiseSource(seed: 3, initial: z)).run().array
            }
            XCTAssertEqual(try run(3, 0...999), try run(3, nil), "\(kind): 0,999 = plain CFG")
            XCTAssertEqual(try run(3, 0.5...0.75), try run(1, nil), "\(kind): no step has t in [0.5, 0.75] → unguided")
            XCTAssertNotEqual(try run(3, 0...500), try run(3, nil), "\(kind): guidance off above t = 500 changes the sample")
        }
    }

    func testGuidanceScheduleFormulas() {
        XCTAssertEqual(GuidanceSchedule.constant.scale(4, at: 500), 4)
        XCTAssertEqual(GuidanceSchedule.linear.scale(4, at: 0), 4)
        XCTAssertEqual(GuidanceSchedule.linear.scale(4, at: 999), 1)
        XCTAssertEqual(GuidanceSchedule.linear.scale(3, at: 999 / 2), 2, accuracy: 1e-6)
        XCTAssertEqual(GuidanceSchedule.cosine.scale(4, at: 0), 4)
        XCTAssertEqual(GuidanceSchedule.cosine.scale(4, at: 999), 1, accuracy: 1e-6)
        XCTAssertEqual(GuidanceSchedule.cosine.scale(3, at: 999 / 2), 2, accuracy: 1e-6)
        XCTAssertEqual(GuidanceSchedule.cosine.scale(3, at: 999 / 4), 1 + 2 * Float(0.5 * (1 + cos(Double.pi / 4))), accuracy: 1e-6)
        XCTAssertNil(Guidance(scale: 1, schedule: .linear).scale(at: 10), "scale 1: never guided")
        XCTAssertNil(Guidance(scale: 4, interval: 100...200).scale(at: 99.5))
        XCTAssertEqual(Guidance(scale: 4, interval: 100...200).scale(at: 100), 4)
    }

    /// A scheduled scale is what the step used, and ε̂ = ε_uncond + s_t (ε_cond − ε_uncond) in the record.
    func testRecordsKeepGuidanceParts() throws {
        let model = try Fixture.model()
        let st = SamplerSettings(kind: .euler, steps: 4, cfgScale: 3, labels: Fixture.labels, cfgSchedule: .linear)
        let s = try Sampler(model: model, settings: st, noise: NoiseSource(seed: 1))
        try s.run()
        for r in s.history {
            let scale = try XCTUnwrap(r.guidanceScale)
            XCTAssertEqual(scale, GuidanceSchedule.linear.scale(3, at: r.timestep))
            let c = try XCTUnwrap(r.epsCond), u = try XCTUnwrap(r.epsUncond)
            for i in 0..<r.eps.count { XCTAssertEqual(r.eps[i], u[i] + scale * (c[i] - u[i])) }
        }
    }

    /// A branch at step k of a multistep solver gives what an uninterrupted run gives: the
    /// second-order step reads x̂0 of step k − 1 back from the kept history.
    func testBranchRebuildsMultistepState() throws {
        let model = try Fixture.model(), z = try Fixture.npy("noise.npy")
        for kind in [SamplerKind.dpmSolver, .heun] {
            let st = SamplerSettings(kind: kind, steps: 5, cfgScale: 3, labels: Fixture.labels)
            let straight = try Sampler(model: model, settings: st, noise: NoiseSource(seed: 0, initial: z))
            let x = try straight.run().array
            let b = try Sampler(model: model, settings: st, noise: NoiseSource(seed: 0, initial: z))
            for _ in 0..<4 { try b.step() }
            var other = st; other.cfgScale = 1
            try b.branch(at: 2, settings: other)
            try b.step()
            try b.branch(at: 2, settings: st)            // back: steps 0, 1 kept, 2… recomputed
            XCTAssertEqual(b.history.count, 2)
            XCTAssertEqual(try b.run().array, x, "\(kind): branch at 2 and back = straight run")
            var karras = st; karras.karras = kind.takesKarras
            try b.branch(at: 3, settings: kind.takesKarras ? karras : st)
            XCTAssertEqual(b.history.count, kind.takesKarras ? 0 : 3, "\(kind): new σ schedule restarts from x_T")
        }
    }

    func testSettingsBounds() throws {
        let model = try Fixture.model()
        func fails(_ st: SamplerSettings, _ setting: SettingError.Setting) {
            XCTAssertThrowsError(try Sampler(model: model, settings: st, noise: NoiseSource(seed: 0))) {
                XCTAssertEqual(($0 as? SettingError)?.setting, setting)
            }
        }
        fails(SamplerSettings(kind: .ddim, karras: true), .karras)
        fails(SamplerSettings(kind: .heun, thresholding: true), .thresholding)
        fails(SamplerSettings(kind: .euler, cfgInterval: -1...10), .cfgInterval)
        fails(SamplerSettings(kind: .euler, cfgInterval: 0...1000), .cfgInterval)
        fails(SamplerSettings(kind: .dpmSolver, steps: 1000), .steps)
        XCTAssertNoThrow(try Sampler(model: model, settings: SamplerSettings(kind: .heun, steps: 1000), noise: NoiseSource(seed: 0)))
    }
}
