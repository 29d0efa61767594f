// The lesson's words, kept as data (LessonText+en.swift, LessonText+ja.swift) apart from the
// views. Numbers in the text are {placeholders} filled from the live model, never typed in.
import DiT

/// One chapter's page: its title, its text (paragraphs separated by blank lines; "• " starts a
/// bullet) and the prompt shown when its "try it" hands over to the explorer.
struct LessonText {
    let title: String
    let body: String
    let tryIt: String
}

/// The words around the chapters, per language.
struct LessonStrings {
    let lesson: String          // header title
    let keys: String            // header key hints
    let tryIt: String           // label before the try-it prompt
    let back: String            // status hint while trying; {n} = chapter number
    let first: String, last: String
    let narrow: String          // shown instead of the live pane on a narrow screen
    let captions: [String: String]   // pane captions, keyed by their English text

    func bound(_ pastLast: Bool) -> String { pastLast ? last : first }
}

enum LessonBook {
    static func chapters(_ language: LessonLanguage) -> [LessonText] { language == .en ? english : japanese }
    static func strings(_ language: LessonLanguage) -> LessonStrings { language == .en ? englishStrings : japaneseStrings }

    /// A pane caption in the lesson's language (the English text when no translation is listed).
    static func caption(_ english: String, _ language: LessonLanguage) -> String {
        strings(language).captions[english] ?? english
    }

    /// The chapter's page with the live model's numbers filled in.
    static func text(_ chapter: Chapter, _ language: LessonLanguage, _ s: ExplorerState) -> LessonText {
        let latent = chapter == .latentDiffusion && s.latent != nil   // the paper's setting: its own VAE
        let t = latent ? (language == .en ? englishLatent : japaneseLatent) : chapters(language)[chapter.rawValue], f = facts(s)
        func fill(_ text: String) -> String {
            f.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        return LessonText(title: fill(t.title), body: fill(t.body) + "\n\n" + Predictions.block(chapter, s), tryIt: fill(t.tryIt))
    }

    /// The values the text may name: the model's shape, cost and the paper's setting.
    static func facts(_ s: ExplorerState) -> [String: String] {
        let c = s.model.config, g = c.gridSize
        // The paper's setting (§3.1): 256×256 RGB images, a VAE that downsamples 8×, 4 latent channels.
        let image = 256, vae = 8, latentChannels = 4
        let pixels = image * image * 3, latent = (image / vae) * (image / vae) * latentChannels
        return [
            "I": "\(c.inputSize)", "p": "\(c.patchSize)", "C": "\(c.inChannels)", "D": "\(c.hiddenSize)",
            "g": "\(g)", "T": "\(c.tokenCount)", "T2": "\(c.tokenCount * c.tokenCount)",
            "depth": "\(c.depth)", "heads": "\(c.numHeads)", "mlp": "\(c.mlpHidden)",
            "patchDim": "\(c.patchDim)", "finalDim": "\(c.finalDim)", "outC": "\(c.outChannels)",
            "model": s.model.preset ?? s.model.name, "params": Format.params(s.model.parameters),
            "gflops": Format.f(s.model.gflops, 3), "K": "\(s.stepCount)",
            "paperPixels": "\(pixels)", "paperLatent": "\(latent)", "ratio": "\(pixels / latent)",
            "latentSide": "\(image / vae)", "vae": "\(vae)",
            "xl2gflops": Format.f(FLOPs(DiTPreset.xl2.config()).gflops, 1),   // as chapter 4's boxes, from the cost model
        ].merging(latentFacts(s)) { a, _ in a }.merging(measuredFacts(s)) { a, _ in a }
            .merging(["mapFinding": Explorer.mapFinding(s)]) { a, _ in a }
    }

    /// What training/findings.py measured, as sentences in the lesson's language (chapters 4 and 8);
    /// empty where it is not shipped.
    static func measuredFacts(_ s: ExplorerState) -> [String: String] {
        let en = s.lesson.language == .en
        var f = ["designFindings": "", "scalingFindings": ""]
        if let m = s.conditioningCurves, case let step = m.commonStep, step > 0 {
            let at = Conditioning.allCases.compactMap { d in m.series[d]?.first { $0.step == step }.map { (d, $0) } }
            let model = m.model ?? "DiT", shape = m.model.flatMap(Self.shape).map { "\($0), " } ?? ""
            let ranking = at.sorted { $0.1.fid < $1.1.fid }.map { "\($0.0.rawValue) \(Format.f($0.1.fid, 1))" }.joined(separator: " < ")
            let accuracy = at.compactMap { d, p in p.accuracyCFG4.map { "\(d.rawValue) \(Format.f(100 * $0, 0)) %" } }.joined(separator: ", ")
            f["designFindings"] = en
                ? " The four are \(model) (\(shape)smaller than the paper's DiT-S, so that four train on two CPU cores), each trained to \(step) steps. Measured at that step, by FID at CFG 1 (lower is better): \(ranking); the judge's accuracy at CFG 4: \(accuracy)."
                : "四つは \(model)（\(shape)2コアの CPU で四つ学習できるよう論文の DiT-S より小さい）で、それぞれ \(step) ステップ学習しました。そのステップでの実測は、CFG 1 の FID（低いほど良い）で \(ranking)、CFG 4 での判定器の正解率は \(accuracy) です。"
        }
        if let m = s.scalingResults, case let step = m.commonStep, step > 0 {
            let configs = m.at(step).map(\.config).joined(separator: ", ")
            f["scalingFindings"] = en ? " Here: \(configs), all at step \(step)." : "ここでは \(configs) を、すべてステップ \(step) で比べます。"
        }
        return f
    }

    /// "DiT-D192-L6/8" → "D 192, L 6, p 8".
    static func shape(_ name: String) -> String? {
        let parts = name.split(whereSeparator: { "-/".contains($0) })
        guard parts.count == 4, parts[1].first == "D", parts[2].first == "L" else { return nil }
        return "D \(parts[1].dropFirst()), L \(parts[2].dropFirst()), p \(parts[3])"
    }

    /// A latent model's VAE, for chapter 1 (none for a pixel model).
    static func latentFacts(_ s: ExplorerState) -> [String: String] {
        guard let v = s.latent?.vae else { return [:] }
        return ["vaeName": v.name, "f": "\(v.downsampleFactor)", "imageSide": "\(s.model.config.inputSize * v.downsampleFactor)",
                "imageChannels": "\(v.imageChannels)", "scale": Format.f(v.scalingFactor, 5),
                "autoSteps": LatentState.automaticSteps(s.stepCount).map(String.init).joined(separator: ", ")]
    }

    /// The text column's narrowest width (LessonView) bounds how far the text can scroll.
    static func longestScroll(_ s: ExplorerState) -> Int {
        LessonView.lines(text(s.lesson.chapter, s.lesson.language, s).body, width: LessonView.narrowestText).count
    }
}
