// A latent model in the explorer, headless: which decodes update() starts and when, where the
// pictures go (branches, swaps, stale answers), the class picker, and the panels drawn from a
// fake 4-channel model (goldens at 80×24 and 160×48).
import DiT
import DiTRender
import TestSupport
import XCTest
@testable import DiTExplorer

enum LatentFake {
    static let names = ["tench, Tinca tinca", "goldfish, Carassius auratus", "great white shark, white shark, man-eater",
                        "tiger shark, Galeocerdo cuvieri", "hammerhead, hammerhead shark", "electric ray", "stingray", "cock",
                        "hen", "ostrich", "brambling", "goldfinch"]
    static let config = DiTConfig(inputSize: 8, patchSize: 2, inChannels: 4, hiddenSize: 8, depth: 2, numHeads: 2,
                                  numClasses: names.count, learnSigma: true, classNames: names)
    static let vae = VAESummary(name: "fake/vae", latentChannels: 4, imageChannels: 3, downsampleFactor: 4,
                                scalingFactor: 0.18215, parameters: 62_463)

    static func state(steps: Int = 10, mode: ColorMode = .ascii) -> ExplorerState {
        var m = ModelSummary(name: "latent-fake", config: config, parameters: 20_624, hasNullClass: true)
        m.judged = false
        var s = ExplorerState(model: m, settings: SamplerSettings(kind: .ddim, steps: steps, cfgScale: 4, clip: false, labels: [0], seed: 0),
                              colorMode: mode)
        s.latent = LatentState(vae: vae)
        return s
    }

    /// Step k: each channel its own gradient (channel c along x for even c, along y for odd), fading in.
    static func step(_ k: Int, _ s: ExplorerState) -> StepView {
        let I = config.inputSize, a = Float(k + 1) / Float(s.stepCount), y0 = Float(s.label)
        func planes(_ f: (Int, Int, Int) -> Float) -> Planes {
            Planes(channels: 4, height: I, width: I, values: (0..<4 * I * I).map { f($0 / (I * I), $0 % I, ($0 / I) % I) })
        }
        let x0 = planes { c, x, y in (Float(c % 2 == 0 ? x : y) / Float(I - 1) * 2 - 1) * 2 + 0.1 * y0 }
        let eps = planes { c, x, y in Float((x * 3 + y * 5 + c) % 7) / 3 - 1 }
        let xt = planes { c, x, y in a * x0.at(c, y, x) + (1 - a) * eps.at(c, y, x) }
        return StepView(k: k, timestep: s.schedule.timesteps[k], alphaBar: s.schedule.alphaBars[k], xt: xt, predX0: x0,
                        eps: eps, next: xt, nfe: 1, milliseconds: 40)
    }

    /// What the decoder makes of a job: a 32×32 picture whose red follows x, green y, blue the step.
    static func image(_ job: DecodeJob) -> Planes {
        let H = 32
        return Planes(channels: 3, height: H, width: H, values: (0..<3 * H * H).map { i in
            let c = i / (H * H), x = i % H, y = (i / H) % H
            return [Float(x) / 16 - 1, Float(y) / 16 - 1, Float(job.k) / 5 - 1][c]
        })
    }

    /// Feeds steps up to n (exclusive), returning the decode jobs update() asked for on the way.
    @discardableResult
    static func feed(_ s: inout ExplorerState, through n: Int) -> [DecodeJob] {
        var jobs: [DecodeJob] = []
        while s.steps.count < min(n, s.stepCount) {
            jobs += decodes(Explorer.update(&s, .worker(.stepped(generation: s.generation, step(s.steps.count, s)))))
        }
        return jobs
    }

    static func decodes(_ effects: [Effect]) -> [DecodeJob] {
        effects.compactMap { if case .decode(let j) = $0 { return j }; return nil }
    }

    /// The decoder's answer to `job`, and the jobs update() starts after it.
    static func answer(_ s: inout ExplorerState, _ job: DecodeJob) -> [DecodeJob] {
        decodes(Explorer.update(&s, .worker(.decode(.decoded(job, image: image(job), milliseconds: 1500)))))
    }
}

final class LatentUpdateTests: XCTestCase {
    func testAutomaticStepsDecodeOneAtATimeLatestFirst() {
        var s = LatentFake.state()
        XCTAssertEqual(LatentState.automaticSteps(10), [2, 5, 7, 9])
        XCTAssertEqual(LatentState.automaticSteps(1), [0])
        _ = Fake.keys(&s, .end)
        let first = LatentFake.feed(&s, through: 10)
        XCTAssertEqual(first.map(\.k), [2], "the first automatic step starts as it arrives; the others wait for the decoder")
        XCTAssertEqual(first[0].latents, s.current.steps[2].predX0)
        XCTAssertEqual(s.latent?.running, first[0])
        var order: [Int] = [2]
        var job = first[0]
        while true {
            let next = LatentFake.answer(&s, job)
            XCTAssertLessThanOrEqual(next.count, 1, "one decode at a time")
            guard let j = next.first else { break }
            order.append(j.k); job = j
        }
        XCTAssertEqual(order, [2, 9, 7, 5], "then the latest computed first")
        XCTAssertEqual(Set(s.current.decoded.keys), [2, 5, 7, 9])
        XCTAssertNil(s.latent?.running)
        XCTAssertEqual(s.current.decoded[9], LatentFake.image(DecodeJob(k: 9, latents: s.current.steps[9].predX0)))
    }

    func testDDecodesTheStepOnScreenNext() {
        var s = LatentFake.state()
        let running = LatentFake.feed(&s, through: 6)          // step 2 is being decoded
        _ = Fake.keys(&s, .right, .right, .right, .right)      // k = 4
        XCTAssertEqual(LatentFake.decodes(Fake.keys(&s, .char("d"))), [], "the decoder is busy: d waits for it")
        XCTAssertEqual(s.latent?.asked, 4)
        XCTAssertEqual(LatentFake.answer(&s, running[0]).map(\.k), [4], "d's step before the automatic 5")
        XCTAssertEqual(s.latent?.asked, 4, "asked until its picture is in")
        _ = LatentFake.answer(&s, DecodeJob(k: 4, latents: s.current.steps[4].predX0))
        XCTAssertNil(s.latent?.asked)
        _ = Fake.keys(&s, .char("d"))
        XCTAssertEqual(s.message, "x̂0 of step 4 is decoded (shown)")
        // d ahead of the sampler: the step decodes once it arrives.
        var t = LatentFake.state()
        _ = Fake.keys(&t, .char("d"))
        XCTAssertEqual(t.message, "step 0 decodes once it is computed")
        XCTAssertEqual(LatentFake.feed(&t, through: 1).map(\.k), [0])
    }

    func testPicturesFollowTheirBranchAndStaleAnswersAreDropped() {
        var s = LatentFake.state()
        _ = Fake.keys(&s, .end)
        var job = LatentFake.feed(&s, through: 10)[0]
        for _ in 0..<3 { job = LatentFake.answer(&s, job).first ?? job }
        _ = LatentFake.answer(&s, job)
        XCTAssertEqual(Set(s.current.decoded.keys), [2, 5, 7, 9])
        _ = Fake.keys(&s, .home)
        for _ in 0..<6 { _ = Fake.keys(&s, .right) }
        let branched = LatentFake.decodes(Fake.keys(&s, .char("c")))   // class 1 from step 6
        XCTAssertEqual(s.k, 6)
        XCTAssertEqual(Set(s.current.decoded.keys), [2, 5], "steps before the fork keep their pictures")
        XCTAssertEqual(Set(s.other?.decoded.keys ?? [:].keys), [2, 5, 7, 9])
        XCTAssertEqual(branched, [])
        // An answer for the old branch's step 7 arriving now goes to the old branch only.
        let old = DecodeJob(k: 7, latents: s.other!.steps[7].predX0)
        s.other!.decoded[7] = nil
        s.latent!.running = old
        _ = LatentFake.answer(&s, old)
        XCTAssertNotNil(s.other?.decoded[7])
        XCTAssertNil(s.current.decoded[7])
        XCTAssertNil(s.latent?.running)
        // A picture of latents no branch has is kept nowhere.
        let stray = DecodeJob(k: 3, latents: s.current.xT)
        _ = LatentFake.answer(&s, stray)
        XCTAssertNil(s.current.decoded[3])
        _ = Fake.keys(&s, .char("x"))   // swap: the old branch and its pictures are current again
        XCTAssertEqual(Set(s.current.decoded.keys), [2, 5, 7, 9])
        XCTAssertEqual(s.current.decodedPicture(near: 8)?.k, 7)
        XCTAssertEqual(s.current.decodedPicture(near: 1)?.k, 2, "before the first picture: the first one")
    }

    func testAFailureStopsAutomaticDecodesUntilD() {
        var s = LatentFake.state()
        _ = Fake.keys(&s, .end)
        let job = LatentFake.feed(&s, through: 10)[0]
        let next = LatentFake.decodes(Explorer.update(&s, .worker(.decode(.failed(job, "out of memory")))))
        XCTAssertEqual(next, [])
        XCTAssertEqual(s.message, "decode failed: out of memory")
        XCTAssertNil(s.latent?.running)
        _ = Fake.keys(&s, .home, .right, .right)
        XCTAssertEqual(LatentFake.decodes(Fake.keys(&s, .char("d"))).map(\.k), [2], "d retries")
        XCTAssertNil(s.latent?.failure)
    }

    func testTheNewestAndAutomaticPicturesAreNeverEvicted() {
        var s = LatentFake.state(steps: 50)
        _ = Fake.keys(&s, .end)
        var job = LatentFake.feed(&s, through: 50)[0]
        while let j = LatentFake.answer(&s, job).first { job = j }
        for k in stride(from: 0, to: 40, by: 2) where s.current.decoded[k] == nil {   // ask for many more
            s.k = k
            let jobs = Explorer.askDecode(&s) + Explorer.decodeJobs(&s, s.onScreen)
            for j in LatentFake.decodes(jobs) { _ = LatentFake.answer(&s, j) }
            XCTAssertNotNil(s.current.decoded[k], "step \(k): the newest picture stays")
            XCTAssertLessThanOrEqual(s.current.decoded.count, LatentState.maxPictures)
            for a in LatentState.automaticSteps(50) { XCTAssertNotNil(s.current.decoded[a], "automatic step \(a) kept") }
        }
        XCTAssertNil(s.latent?.running, "nothing decodes again and again")
    }

    func testAPixelModelHasNothingToDecodeAndZoomShowsTheDecodedPictureFirst() {
        var p = Fake.state()
        XCTAssertEqual(LatentFake.decodes(Fake.keys(&p, .char("d"))), [])
        XCTAssertEqual(p.message, "no VAE: this model works in pixels, there is nothing to decode")
        var s = LatentFake.state()
        _ = Fake.keys(&s, .char("z"))
        XCTAssertEqual(s.zoom, 3)
        _ = Fake.keys(&s, .char("z"), .char("z"), .char("z"), .char("z"))
        XCTAssertNil(s.zoom)
    }

    func testClassSearchFiltersPicksAndGoesBack() {
        var s = LatentFake.state()
        LatentFake.feed(&s, through: 3)
        _ = Fake.keys(&s, .right, .right)
        _ = Fake.keys(&s, .char("/"))
        XCTAssertEqual(s.classSearch?.matches.count, 13, "12 classes and the null class")
        XCTAssertEqual(s.classSearch?.selected, 0, "opened on the class in use")
        _ = Fake.keys(&s, .char("S"), .char("h"), .char("a"), .char("r"), .char("k"))
        XCTAssertEqual(s.classSearch?.matches, [2, 3, 4], "any part of the name, synonyms too, ignoring case")
        _ = Fake.keys(&s, .char("q"))
        XCTAssertFalse(s.quit, "q is typed, not quit")
        XCTAssertEqual(s.classSearch?.matches, [])
        _ = Fake.keys(&s, .backspace, .down, .down, .down)
        XCTAssertEqual(s.classSearch?.selected, 2, "↓ stops at the last match")
        _ = Fake.keys(&s, .up)
        let effects = Fake.keys(&s, .enter)
        XCTAssertNil(s.classSearch)
        XCTAssertEqual(s.label, 3)
        XCTAssertEqual(s.message, "branched at step 2")
        XCTAssertTrue(effects.contains { if case .request = $0 { return true }; return false })
        // Digits match the index; "null" the null class; Esc changes nothing.
        _ = Fake.keys(&s, .char("/"), .char("1"))
        XCTAssertEqual(s.classSearch?.matches, [1, 10, 11, 12])
        XCTAssertEqual(s.classSearch?.selected, 0)
        _ = Fake.keys(&s, .backspace, .char("N"), .char("u"), .char("L"))
        XCTAssertEqual(s.classSearch?.matches, [12])
        _ = Fake.keys(&s, .escape)
        XCTAssertNil(s.classSearch)
        XCTAssertEqual(s.label, 3)
        _ = Fake.keys(&s, .char("/"), .char("z"), .char("z"), .enter)
        XCTAssertEqual(s.message, "no class matches \"zz\"")
        XCTAssertEqual(s.label, 3)
        // A pick of the class in use is no branch.
        _ = Fake.keys(&s, .char("/"), .enter)
        XCTAssertEqual(s.message, "3 tiger shark, Galeocerdo cuvieri already")
    }

    func testLessonOneAsksForTheStepOnScreen() {
        var s = LatentFake.state()
        XCTAssertEqual(LatentFake.decodes(Explorer.start(&s)), [])
        _ = Fake.keys(&s, .char("L"))
        XCTAssertEqual(s.latent?.asked, 0)
        XCTAssertEqual(LatentFake.feed(&s, through: 1).map(\.k), [0], "decoded as soon as it is computed")
        _ = Fake.keys(&s, .char("t"))
        XCTAssertEqual(s.pane, .denoising, "a latent model's chapter 1 is tried on its own latents")
    }
}

final class LatentViewTests: XCTestCase {
    /// Steps 0…9 computed, step 3 on screen, step 2 decoded and step 9 decoding.
    func explored(mode: ColorMode = .ascii) -> ExplorerState {
        var s = LatentFake.state(mode: mode)
        _ = Fake.keys(&s, .end)
        let job = LatentFake.feed(&s, through: 10)[0]
        _ = LatentFake.answer(&s, job)
        _ = Fake.keys(&s, .home, .right, .right, .right)
        return s
    }

    func testDenoisingGoldens() {
        let s = explored()
        let small = Explorer.render(s, width: 80, height: 24)
        Golden.check(small.text, "latent-denoising-80x24")
        XCTAssertTrue(small.line(2).hasPrefix("x_t  noisy input "), small.line(2))
        XCTAssertTrue(small.line(2).contains("decoded x̂0 · k=2"), small.line(2))
        XCTAssertTrue(small.text.contains("decoding step 9…"))
        XCTAssertTrue(small.text.contains("grey −3…+3, 4 chan"))
        let big = Explorer.render(s, width: 160, height: 48)
        Golden.check(big.text, "latent-denoising-160x48")
        XCTAssertTrue(big.text.contains("class probabilities: no judge"))
        // The class strip is the one line: the images get the rows.
        XCTAssertEqual(Layout(width: 160, height: 48, for: s).classStrip.height, 2)
        XCTAssertEqual(Layout(width: 160, height: 48).classStrip.height, 11)
        // Once decoded: the cost; off the decoded step: the key to press.
        var done = s
        var job = done.latent!.running!
        while let next = LatentFake.answer(&done, job).first { job = next }
        done.k = 2
        XCTAssertTrue(Explorer.render(done, width: 100, height: 35).text.contains("VAE ×4 · 1.5 s"))
        done.k = 4
        XCTAssertTrue(Explorer.render(done, width: 100, height: 35).text.contains("d: decode step 4"))
    }

    func testNothingDecodedYetSaysWhatWillBe() {
        var s = LatentFake.state()
        LatentFake.feed(&s, through: 2)
        let text = Explorer.render(s, width: 100, height: 35).text
        XCTAssertTrue(text.contains("d decodes; steps 2, 5,") && text.contains("7, 9 decode as they"), text)   // wrapped in its panel
    }

    /// The grid puts channel i in column i mod 2, row i div 2, one cell apart, each fitted.
    func testChannelGridPlacesEachChannel() {
        let colors = [RGB(255, 0, 0), RGB(0, 255, 0), RGB(0, 0, 255), RGB(255, 255, 255)]
        let channels = colors.map { Raster(width: 4, height: 4, fill: $0) }
        var c = Canvas(width: 20, height: 10)
        let placed = LatentView.grid(channels, into: &c, rect: Rect(x: 0, y: 0, width: 20, height: 10), mode: .truecolor)
        // Each quarter: 9 columns × 4 rows (2·4 pixel rows) → 8 px: a 2× enlargement, 8 cells wide, 4 rows.
        XCTAssertEqual(placed, Rect(x: 1, y: 0, width: 17, height: 9))
        XCTAssertEqual(c[1, 0].fg, colors[0]); XCTAssertEqual(c[8, 3].bg, colors[0])
        XCTAssertEqual(c[10, 0].fg, colors[1]); XCTAssertEqual(c[17, 3].fg, colors[1])
        XCTAssertEqual(c[1, 5].fg, colors[2]); XCTAssertEqual(c[10, 8].bg, colors[3])
        XCTAssertEqual(c[9, 0], Cell.blank, "a cell between the columns")
        XCTAssertEqual(c[1, 4], Cell.blank, "a row between the rows")
        // The export's picture: the same layout with one pixel of panel colour between.
        let tile = LatentView.composite(channels)
        XCTAssertEqual([tile.width, tile.height], [9, 9])
        XCTAssertEqual(tile[4, 0], RGB.panel); XCTAssertEqual(tile[5, 0], colors[1]); XCTAssertEqual(tile[0, 5], colors[2])
        // Grey over ±3, coolwarm for ε̂.
        let p = Planes(channels: 1, height: 1, width: 3, values: [-3, 0, 3])
        XCTAssertEqual(LatentView.channels(p, signed: false)[0].pixels, [RGB(grey: 0), RGB(grey: 0.5), RGB(grey: 1)])
        XCTAssertEqual(LatentView.channels(p, signed: true)[0][1, 0], ColorMap.coolwarm.color(0, lo: -3, hi: 3))
    }

    func testClassSearchGoldenAt80x24() {
        var s = explored()
        _ = Fake.keys(&s, .char("/"), .char("s"), .char("h"), .down)
        let c = Explorer.render(s, width: 80, height: 24)
        Golden.check(c.text, "latent-class-search-80x24")
        XCTAssertTrue(c.text.contains("/ sh▏"))
        XCTAssertTrue(c.text.contains("4 of 13 match"), "gold·fish· too")
        XCTAssertTrue(c.text.contains("3 tiger shark, Galeocerdo cuvieri"))
        // The selected row (the second match) is highlighted, the match underlined.
        let row = (0..<24).first { c.line($0).contains("2 great white") }!, x = c.line(row).distance(to: "2 great")
        XCTAssertEqual(c[x, row].bg, RGB.accent)
        XCTAssertEqual(c[x + 14, row].attrs, [.bold, .underline], "the s of shark")
        XCTAssertNotEqual(c[x, row + 1].bg, RGB.accent)
        let big = Explorer.render(s, width: 160, height: 48)
        XCTAssertTrue(big.text.contains("2 great white shark, white shark, man-eater"), "room for the synonyms")
    }

    func testLessonOneShowsTheLatentsAndTheDecoder() {
        var s = explored()
        _ = Fake.keys(&s, .char("L"))
        s.lesson.chapter = .latentDiffusion
        let c = Explorer.render(s, width: 100, height: 35)
        Golden.check(c.text, "latent-lesson1-100x35")
        XCTAssertTrue(c.text.contains("here: fake/vae"))
        XCTAssertTrue(c.text.contains("32×32×3 → VAE ÷4 → 8×8×4 → DiT"))
        XCTAssertTrue(c.text.contains("decoded k=2"))
        XCTAssertTrue(c.text.contains("This model is a latent DiT"))
        _ = Fake.keys(&s, .char("g"))
        let ja = Explorer.render(s, width: 100, height: 35).text
        XCTAssertTrue(ja.contains("潜在 DiT"), ja)
        XCTAssertTrue(ja.contains("デコード結果"))
        // At 80×24 it still fits: the three pictures side by side.
        XCTAssertTrue(Explorer.render(s, width: 80, height: 24).text.contains("デコード… k=2"), "the label shortened, the step whole: "
                      + Explorer.render(s, width: 80, height: 24).text)
    }
}

extension String {
    /// Column of the first occurrence of `s` (one column per character: ASCII lines).
    func distance(to s: String) -> Int { distance(from: startIndex, to: range(of: s)!.lowerBound) }
}

/// The real decoder on the tiny pipeline folder (training/make_latent_pipeline.py): the worker's
/// picture is diffusers' vae.decode, and a session decodes its automatic steps by itself.
final class DecodeWorkerTests: XCTestCase {
    var pipeline: String { Bundle.module.url(forResource: "Fixtures/latent-pipeline", withExtension: nil)!.path }

    func testTheWorkerDecodesAsDiffusersDoes() throws {
        let vae = try AutoencoderKL(directory: pipeline), mailbox = Mailbox()
        let z = try NPY.read(pipeline + "/latents.npy"), reference = try NPY.read(pipeline + "/decoded.npy")
        let worker = DecodeWorker(vae: vae, mailbox: mailbox)
        worker.start()
        defer { worker.stop() }
        let job = DecodeJob(k: 7, latents: Planes(z))
        worker.submit(job)
        var events: [WorkerEvent] = []
        let deadline = Date().addingTimeInterval(10)
        while events.isEmpty && Date() < deadline { events = mailbox.drain(); usleep(1000) }
        guard case .decode(.decoded(let back, let image, let ms))? = events.first else { return XCTFail("\(events)") }
        XCTAssertEqual(back, job)
        XCTAssertGreaterThan(ms, 0)
        XCTAssertEqual([image.channels, image.height, image.width], Array(reference.shape.dropFirst()))
        let scale = reference.array.map(abs).max()!
        for (a, b) in zip(image.values, reference.array) { XCTAssertEqual(a, b, accuracy: 1e-4 * scale) }
        // A latent of the wrong shape fails with the decoder's message, it does not trap.
        guard case .failed(_, let text) = DecodeWorker.decode(DecodeJob(k: 1, latents: Planes(channels: 3, height: 2, width: 2, values: Array(repeating: 0, count: 12))), with: vae) else {
            return XCTFail("a 3-channel latent decoded")
        }
        XCTAssertTrue(text.contains("x̂0 of step 1") && text.contains("(N, 4, h, w)"), text)
    }

    func testASessionDecodesItsAutomaticSteps() throws {
        let model = try DiTModel(directory: pipeline), vae = try AutoencoderKL(directory: pipeline)
        let settings = SamplerSettings(kind: .ddim, steps: 8, cfgScale: 4, clip: false, labels: [3], seed: 1)
        var setup = SessionSetup(model: model, name: "latent-pipeline", settings: settings)
        setup.vae = (vae, "latent-pipeline/vae")
        let driver = try Session.open(setup, screen: (80, 24))   // the sampler, the other panes' workers, the decoder
        XCTAssertTrue(driver.workers.others.contains { $0 is DecodeWorker })
        driver.start()
        defer { driver.workers.stop() }
        driver.send(.key(.end))
        let want = Set(LatentState.automaticSteps(8))
        let deadline = Date().addingTimeInterval(20)
        while Set(driver.state.current.decoded.keys) != want && Date() < deadline { driver.drain(); usleep(2000) }
        XCTAssertEqual(Set(driver.state.current.decoded.keys), want)
        let last = driver.state.current.steps[7]
        let expected = Planes(try vae.decode(latents: last.predX0.tensor))
        XCTAssertEqual(driver.state.current.decoded[7], expected, "the picture is vae.decode of that step's x̂0")
        XCTAssertTrue(Explorer.render(driver.state, width: 80, height: 24).text.contains("decoded x̂0 · k=7"))
    }
}
