// The Forward pane and the learned-covariance panels, rendered from fake data (goldens in ASCII
// mode), the pane's keys through update(), and its worker on the tiny official model.
import DiT
import DiTRender
import XCTest
@testable import DiTExplorer

final class ForwardViewTests: XCTestCase {
    /// Two fake real images per class of the fake model (8×8, classes 0…2).
    static let real = RealImages(images: (0..<6).map { n in
        Planes(channels: 1, height: 8, width: 8, values: (0..<64).map { i in Float((i % 8 + i / 8 + n) % 8) / 3.5 - 1 })
    }, labels: [0, 0, 1, 1, 2, 2], source: "fake-set")

    /// The pane at t = 500 with the worker's answers: ε̂ = −ε/2 (null: ε̂ = 0) and a few curve points.
    func forwardState(mode: ColorMode = .ascii, answered: Bool = true) -> (ExplorerState, [Effect]) {
        var s = Fake.state(mode: mode)
        Fake.feed(&s, through: 10)
        s.forward = ForwardState(real: Self.real)
        var effects = Fake.keys(&s, .char("6"))
        guard answered, let eps = s.forward.eps else { return (s, effects) }
        let half = Planes(channels: 1, height: 8, width: 8, values: eps.values.map { -$0 / 2 })
        let zero = Planes(channels: 1, height: 8, width: 8, values: Array(repeating: 0, count: 64))
        let p = ForwardPrediction(t: s.forward.t, epsCond: half, epsNull: zero, mseCond: 2.25 * mean2(eps), mseNull: mean2(eps))
        effects += Explorer.update(&s, .worker(.forward(.predicted(id: s.forward.ids.predict, p))))
        for (i, t) in ForwardState.curveTimesteps.prefix(20).enumerated() {
            _ = Explorer.update(&s, .worker(.forward(.curvePoint(id: s.forward.ids.curve, t: t, mse: Float(20 - i) / 20))))
        }
        return (s, effects)
    }

    func mean2(_ p: Planes) -> Float { p.values.map { $0 * $0 }.reduce(0, +) / Float(p.values.count) }

    func testForwardGolden() {
        let (s, _) = forwardState()
        let c = Explorer.render(s, width: 100, height: 35)
        Golden.check(c.text, "forward-100x35")
        XCTAssertTrue(c.line(1).hasPrefix(" t = 500   0 T-shirt 1/2   ᾱ_t = 0.0778 (cosine 0.4923)   SNR = 0.0844 (-10.7 dB)"), c.line(1))
        for title in ["x_0 real", "ε noise", "x_t  t=500", "ε̂ y=0", "ε̂ ∅ null", "(ε̂−ε)²", "ᾱ_t 0…1", "log SNR", "MSE(t) 0…1.00  20/40 t, 3 ε", "SDEdit"] {
            XCTAssertTrue(c.text.contains(title), title)
        }
        XCTAssertTrue(c.text.contains("loss ‖ε̂ − ε‖²/d = \(Format.f(Double(s.forward.prediction!.mseCond), 4)) with class 0"), c.text)
        // An SDEdit run from step 4 of 10, all six steps in: frames labelled by step, the sample last.
        var run = s
        _ = Fake.keys(&run, .char("r"))
        for k in 4..<10 {
            let x = Fake.step(k, schedule: run.schedule).next
            _ = Explorer.update(&run, .worker(.forward(.sdeditStep(id: run.forward.ids.sdedit, x: x, k: k))))
        }
        let text = Explorer.render(run, width: 100, height: 35).text
        Golden.check(text, "forward-sdedit-100x35")
        XCTAssertTrue(text.contains("SDEdit from step k = 4 (t = 555) with 0 T-shirt · done"), text)
        XCTAssertTrue(text.contains(" k=4 "), text)
        XCTAssertTrue(text.contains(" x_0"), text)
    }

    func testForwardFitsAt80x24AndUses160x48() {
        let (s, _) = forwardState(mode: .truecolor)
        let small = Explorer.render(s, width: 80, height: 24)
        XCTAssertTrue(small.line(0).contains("6 Fwd"), small.line(0))
        for title in ["x_0 real", "x_t  t=500", "(ε̂−ε)²", "ᾱ_t 0…1", "MSE(t)", "SDEdit"] { XCTAssertTrue(small.text.contains(title), title) }
        XCTAssertTrue(small.line(22).hasPrefix(" fake"), "status line kept: \(small.line(22))")
        let big = Explorer.render(s, width: 160, height: 48)
        XCTAssertTrue(big.line(0).contains("6 Forward"))
        // The images grow with the screen: count the rows the x_0 panel's half blocks take.
        func imageRows(_ c: Canvas) -> Int { (0..<c.height).filter { c.line($0).hasPrefix(" ▀") }.count }
        XCTAssertGreaterThan(imageRows(big), imageRows(small))
        XCTAssertGreaterThanOrEqual(imageRows(big), 8)
    }

    func testKeysMoveTAndPickImagesAndAskTheWorker() {
        var (s, effects) = forwardState(answered: false)
        XCTAssertEqual(jobs(effects).map(\.kind), ["predict", "curve"], "entering the pane asks for ε̂ and the curve")
        XCTAssertNil(jobs(Fake.keys(&s, .char("6"))).first, "nothing stale, nothing asked")
        _ = Fake.keys(&s, .right, .right, .char("."), .up)
        XCTAssertEqual(s.forward.t, 621)
        _ = Fake.keys(&s, .char(","), .left, .down)
        XCTAssertEqual(s.forward.t, 510)
        _ = Explorer.update(&s, .scroll(1)); XCTAssertEqual(s.forward.t, 520, "the wheel moves t")
        _ = Explorer.update(&s, .scroll(-1)); XCTAssertEqual(s.forward.t, 510)
        _ = Fake.keys(&s, .end); XCTAssertEqual(s.forward.t, 999)
        effects = Fake.keys(&s, .up); XCTAssertEqual(s.forward.t, 999, "clamped")
        effects = Fake.keys(&s, .home); XCTAssertEqual(s.forward.t, 0)
        XCTAssertEqual(jobs(effects).map(\.kind), ["predict"], "a new t: ε̂ again, the curve stays")
        XCTAssertEqual(s.k, 0, "the trajectory's step is untouched by the pane's arrows")
        effects = Fake.keys(&s, .char("i"))
        XCTAssertEqual(s.forward.image, 1)
        XCTAssertEqual(jobs(effects).map(\.kind), ["predict", "curve"])
        _ = Fake.keys(&s, .char("i")); XCTAssertEqual(s.forward.image, 0, "wraps within the class")
        _ = Fake.keys(&s, .char("C")); XCTAssertEqual([s.forward.image, s.forward.label], [4, 2])
        let eps = s.forward.eps
        _ = Fake.keys(&s, .char("s"))
        XCTAssertEqual(s.forward.noiseSeed, 1)
        XCTAssertNotEqual(s.forward.eps, eps)
        XCTAssertEqual(s.forward.eps, ExplorerState.initialNoise(s.model.config, seed: 1), "ε is the x_T draw of that seed")
        XCTAssertEqual(s.settings.seed, 0, "the sampler's seed is untouched")
        // A stale answer (older id) is dropped.
        _ = Explorer.update(&s, .worker(.forward(.curvePoint(id: s.forward.ids.curve - 1, t: 0, mse: 1))))
        XCTAssertTrue(s.forward.curve.isEmpty)
    }

    func testSDEditStartsAtTheNearestStepWithTheChosenClass() throws {
        var (s, _) = forwardState()
        _ = Fake.keys(&s, .char("y"), .char("y"))
        let effects = Fake.keys(&s, .char("r"))
        guard case .forward(.sdedit(_, let x0, let eps, let k, let settings)) = try XCTUnwrap(effects.first) else {
            return XCTFail("expected an SDEdit job, got \(effects)")
        }
        // 10 steps: timesteps 999, 888, …; t = 500 is nearest 555 (k = 4).
        XCTAssertEqual(s.schedule.timesteps[k], 555)
        XCTAssertEqual(settings.labels, [2])
        XCTAssertEqual(x0, s.forward.x0)
        XCTAssertEqual(eps, s.forward.eps)
        let run = try XCTUnwrap(s.forward.sdedit)
        XCTAssertEqual([run.start, run.timestep, run.total, run.frames.count], [4, 555, 6, 1])
        XCTAssertEqual(run.frames[0], ForwardState.noised(x0, 555, eps))
        _ = Explorer.update(&s, .worker(.forward(.sdeditStep(id: s.forward.ids.sdedit, x: x0, k: 4))))
        XCTAssertEqual(s.forward.sdedit?.frames.count, 2)
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).text.contains("SDEdit from step k = 4 (t = 555) with 2 日本 · 1/6 steps"))
    }

    func testWithoutRealImagesThePaneSaysSo() {
        var s = Fake.state()
        _ = Fake.keys(&s, .char("6"))
        XCTAssertTrue(Explorer.render(s, width: 100, height: 35).text.contains("no real images of this model's shape (1×8×8"))
        _ = Fake.keys(&s, .right)
        XCTAssertTrue(s.message?.contains("no real images") == true)
    }

    /// Lesson 9 (the training objective) shows the live Forward pane and asks for its numbers;
    /// lesson 1's try-it opens the Forward pane.
    func testTrainingObjectiveLessonShowsTheForwardPane() {
        var s = Fake.state()
        s.forward = ForwardState(real: Self.real)
        _ = Fake.keys(&s, .char("L"))
        let effects = Fake.keys(&s, .char("9"))
        XCTAssertEqual(s.lesson.chapter, .trainingObjective)
        XCTAssertEqual(jobs(effects).map(\.kind), ["predict", "curve"])
        let text = Explorer.render(s, width: 160, height: 48).text
        XCTAssertTrue(text.contains("The model only ever learns to predict ε at a"), text)
        XCTAssertTrue(text.contains("x_t  t=500"), text)
        _ = Fake.keys(&s, .char("1"), .char("t"))
        XCTAssertEqual(s.pane, .forward, "lesson 1 tries the forward process")
        XCTAssertTrue(s.message?.hasPrefix("Forward pane") == true, s.message ?? "")
    }

    // MARK: the learned covariance in the Denoising pane

    func testCovariancePanelsShowTheFractionAndSigma() {
        var s = Fake.state()
        let v = Planes(channels: 1, height: 8, width: 8, values: (0..<64).map { Float($0) / 63 })
        let sigma = Planes(channels: 1, height: 8, width: 8, values: (0..<64).map { 0.1 + Float($0) / 630 })
        for k in 0..<3 {
            var step = Fake.step(k, schedule: s.schedule)
            step.variance = LearnedVariance(fraction: v, sigma: sigma, bounds: 0.1...0.2)
            _ = Explorer.update(&s, .worker(.stepped(generation: s.generation, step)))
        }
        // x_t, ε̂ and x̂0 fill the width at 4×; > pages to x̂0, v and σ.
        let first = Explorer.render(s, width: 100, height: 35)
        XCTAssertTrue(first.line(1).hasSuffix("< 1–3 of 5 >"), first.line(1))
        XCTAssertFalse(first.text.contains("v  log σ²"), first.text)
        _ = Fake.keys(&s, .char(">"))
        let text = Explorer.render(s, width: 100, height: 35).text
        Golden.check(text, "denoising-covariance-100x35")
        XCTAssertTrue(text.contains("< 3–5 of 5 >"), text)
        XCTAssertTrue(text.contains("x̂0  predicted clean image"), text)
        XCTAssertTrue(text.contains("v  log σ²"), text)
        XCTAssertTrue(text.contains("σ  learned std"), text)
        XCTAssertTrue(text.contains("σ 0.1000…0.2000"), text)   // the bounds only where they fit whole (issue 27)
        var fixed = Fake.config
        fixed.learnSigma = false
        var f = Fake.state(model: ModelSummary(name: "fixed", config: fixed, parameters: 1, hasNullClass: true))
        Fake.feed(&f, through: 1)
        let t = Explorer.render(f, width: 100, height: 35).text
        XCTAssertTrue(t.contains("no learned σ"), t)
        XCTAssertFalse(t.contains("learned std"))
    }

    /// The snapshot of a real step: v from the model's variance channels, σ = exp(½ log σ²).
    func testWorkerSnapshotCarriesTheLearnedVariance() throws {
        let model = try DiTModel(directory: Bundle.module.resourceURL!.appendingPathComponent("Fixtures/tiny").path)
        let settings = SamplerSettings(kind: .ddpm, steps: 10, cfgScale: 1, labels: [1], seed: 3)
        let sampler = try Sampler(model: model, settings: settings, noise: NoiseSource(seed: 3))
        let r = try XCTUnwrap(try sampler.step())
        let out = try model.forward(x: r.xt, t: [Float(r.timestep)], y: [1])   // (1, 2, 8, 8)
        let d = try XCTUnwrap(sampler.diffusion)
        let v = try XCTUnwrap(LearnedVariance(r, d))
        let b = d.logVarianceBounds(index: d.numSteps - 1 - r.k)
        for j in 0..<64 {
            let frac = (out.data[64 + j] + 1) / 2
            XCTAssertEqual(v.fraction.values[j], frac, accuracy: 1e-6)
            let logVar = frac * Float(b.upperBound) + (1 - frac) * Float(b.lowerBound)
            XCTAssertEqual(v.sigma.values[j], expf(0.5 * logVar), accuracy: 1e-6 * v.sigma.values[j])
        }
        XCTAssertLessThan(v.bounds.lowerBound, v.bounds.upperBound)
    }

    /// The worker's ε̂ and loss are the training loss of the official model (TrainingLoss, checked
    /// against training_losses in DiTTests), and its curve fills in point by point, while the
    /// sampler's worker runs on the same weights.
    func testForwardWorkerAnswers() throws {
        let model = try DiTModel(directory: Bundle.module.resourceURL!.appendingPathComponent("Fixtures/tiny").path)
        let mailbox = Mailbox(), worker = ForwardWorker(model: model, mailbox: mailbox)
        let settings = SamplerSettings(steps: 1000, cfgScale: 3, labels: [2], seed: 1)
        let sampler = try SamplerWorker(model: model, settings: settings, mailbox: Mailbox())
        sampler.start()
        sampler.submit(WorkerRequest(generation: 0, lineage: [Segment(start: 0, settings: settings)], target: 1000))
        worker.start()
        defer { worker.stop(); sampler.stop() }
        let x0 = Self.real.images[3], eps = ExplorerState.initialNoise(model.config, seed: 5)
        worker.submit(.predict(id: 7, x0: x0, label: 1, t: 300, eps: eps))
        worker.submit(.curve(id: 2, x0: x0, label: 1, timesteps: [0, 500, 999], draws: 2, seed: 5))
        var events: [ForwardEvent] = []
        let deadline = Date().addingTimeInterval(20)
        while events.filter({ if case .curvePoint = $0 { return true } else { return false } }).count < 3 && Date() < deadline {
            events += mailbox.drain().compactMap { if case .forward(let e) = $0 { return e } else { return nil } }
            usleep(2000)
        }
        guard case .predicted(7, let p)? = events.first else { return XCTFail("ε̂ first: \(events)") }
        let reference = try DiTModel(directory: Bundle.module.resourceURL!.appendingPathComponent("Fixtures/tiny").path)  // not the sampler's, in use
        let ref = try TrainingLoss(model: reference, x0: Tensor([2, 1, 8, 8], x0.values + x0.values), t: [300, 300], labels: [1, 3],
                                   noise: Tensor([2, 1, 8, 8], eps.values + eps.values))
        XCTAssertEqual(p.mseCond, ref.mse[0], accuracy: 1e-6)
        XCTAssertEqual(p.mseNull!, ref.mse[1], accuracy: 1e-6)
        XCTAssertEqual(p.epsCond.values, ref.predictedNoise(0))
        let points = events.compactMap { if case .curvePoint(2, let t, let m) = $0 { return (t, m) } else { return nil } }
        XCTAssertEqual(points.map(\.0), [0, 500, 999])
        let draw0 = try TrainingLoss(model: reference, x0: x0.tensor, t: [500], labels: [1], noise: eps.tensor).mse[0]
        var g = Xoshiro256StarStar(seed: 5, stream: 1)
        let e1 = Tensor([1, 1, 8, 8]); g.fillNormal(e1.data, count: 64)
        let draw1 = try TrainingLoss(model: reference, x0: x0.tensor, t: [500], labels: [1], noise: e1).mse[0]
        XCTAssertEqual(points[1].1, (draw0 + draw1) / 2, accuracy: 1e-5, "the mean of the draws, draw 0 being the pane's ε")
    }

    func jobs(_ effects: [Effect]) -> [(kind: String, job: ForwardJob)] {
        effects.compactMap {
            guard case .forward(let j) = $0 else { return nil }
            switch j {
            case .predict: return ("predict", j)
            case .curve: return ("curve", j)
            case .sdedit: return ("sdedit", j)
            }
        }
    }
}
