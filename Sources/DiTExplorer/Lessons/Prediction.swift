// Predict, then reveal: every chapter asks one question the student answers (a b c) or skips (s)
// before the lesson shows the answer. The answer is computed from the live model, the cost model
// (the Calculator's FLOPs) or the running trajectory (the judge strip), never stored; the words
// are in PredictionText.swift. The lesson keeps what was answered per chapter: the tally.
import DiT

/// What the student did with a chapter's question.
public enum PredictionAnswer: Equatable, Sendable {
    case chose(Int, right: Bool)
    case skipped
}

/// One chapter's question with its live answer.
struct Prediction: Equatable {
    var question: String
    var choices: [String]          // three: a b c
    var answer: Int?               // nil: not known yet, or there is none (`pending` says why)
    var reveal: String             // the answer's why, with the live numbers
    var pending = ""
}

enum Predictions {
    static let letters = ["a", "b", "c"]

    /// The chapter's question, in the lesson's language, answered from the state now.
    static func of(_ chapter: Chapter, _ s: ExplorerState) -> Prediction {
        let words = PredictionText.words(s.lesson.language), c = s.model.config
        let template = words.questions[chapter.rawValue]
        var facts: [String: String] = [:], choices: [String] = [], answer: Int?
        /// Three numbers, ascending; the answer is where `right` is.
        func numbers(_ candidates: [Int], right: Int, unit: String = "") {
            var set = Set(candidates), extra = 2 * right
            while set.count < 3 { set.insert(extra); extra *= 2 }   // a shape where two candidates coincide
            let sorted = Array(set).sorted()
            choices = sorted.map { "\($0)\(unit)" }
            answer = sorted.firstIndex(of: right)
        }
        switch chapter {
        case .latentDiffusion:   // the paper's setting: 256×256×3 through an 8× VAE with 4 channels
            let pixels = 256 * 256 * 3, latent = 32 * 32 * 4, r = pixels / latent
            facts = ["pixels": "\(pixels)", "latent": "\(latent)", "r": "\(r)"]
            numbers([r / 4, r, 4 * r], right: r, unit: "×")
        case .patchify:
            let p = c.patchSize, q = p >= 2 && c.inputSize % (p / 2) == 0 ? p / 2 : 2 * p
            let t = s.model.config(patch: q).tokenCount
            facts = ["p": "\(p)", "q": "\(q)", "I": "\(c.inputSize)", "T": "\(c.tokenCount)", "Tq": "\(t)"]
            numbers(q < p ? [c.tokenCount, 2 * c.tokenCount, t] : [t, c.tokenCount / 2, c.tokenCount], right: t)
        case .positionEmbeddings:
            let n = c.tokenCount * c.hiddenSize
            facts = ["T": "\(c.tokenCount)", "D": "\(c.hiddenSize)", "n": "\(n)"]
            numbers([c.tokenCount, c.hiddenSize, n], right: n)
        case .conditioning:   // the cost model on this model's shape, per design
            let designs: [Conditioning] = [.adaLNZero, .crossAttention, .inContext]
            let g = designs.map { d -> Double in var x = c; x.conditioning = d; return FLOPs(x).gflops }
            choices = designs.map(\.rawValue)
            answer = g.indices.max { g[$0] < g[$1] }
            facts = ["costs": zip(designs, g).map { "\($0.rawValue) \(Format.f($1, 3))" }.joined(separator: ", ")]
        case .transformerBlock:
            let t = c.tokenCount
            facts = ["T": "\(t)", "T2": "\(t * t)", "all": "\(t * t * c.numHeads * c.depth)", "heads": "\(c.numHeads)", "depth": "\(c.depth)"]
            numbers([t, t * t, t * c.hiddenSize], right: t * t)
        case .decoder:
            let f = c.finalDim
            facts = ["p": "\(c.patchSize)", "outC": "\(c.outChannels)", "f": "\(f)", "D": "\(c.hiddenSize)"]
            numbers([f, c.hiddenSize, c.patchDim == f ? 2 * f : c.patchDim], right: f)
        case .sampling:   // the judge strip of the running trajectory
            let K = s.stepCount, a = K / 3, b = 2 * K / 3
            choices = ["0–\(max(0, a - 1))", "\(a)–\(max(a, b - 1))", "\(b)–\(max(b, K - 1))"].map { words.steps + " " + $0 }
            let done = s.steps.count >= K && K > 0
            if !s.model.judged { facts["why"] = words.noJudge }
            else if !done { facts["why"] = words.running }
            else if let k = ClassDecision.firstDecided(s.steps, requested: s.label) {
                facts["k"] = "\(k)"
                answer = k < a ? 0 : k < b ? 1 : 2
            } else { facts["why"] = words.undecided }
            facts["class"] = s.model.className(s.label)
        case .scaling:   // the Calculator's cost model on the paper's 32×32×4 latents
            let s2 = FLOPs(DiTPreset.s2.config()).gflops, b4 = FLOPs(DiTPreset.b4.config()).gflops
            choices = ["DiT-S/2", "DiT-B/4", words.same]
            answer = abs(s2 - b4) < 0.1 * max(s2, b4) ? 2 : s2 > b4 ? 0 : 1
            facts = ["s2": Format.f(s2, 2), "b4": Format.f(b4, 2)]
        case .trainingObjective:   // ᾱ at t = 500 on the linear schedule the models were trained with
            let ab = ForwardProcess.linear.alphasCumprod[500]
            choices = ["< 25 %", "25–75 %", "> 75 %"]
            answer = ab < 0.25 ? 0 : ab <= 0.75 ? 1 : 2
            facts = ["ab": Format.g(ab), "pct": Format.f(100 * ab, 1)]
        }
        func fill(_ text: String) -> String { facts.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) } }
        return Prediction(question: fill(template.question), choices: choices, answer: answer,
                          reveal: fill(template.reveal), pending: fill(words.pending))
    }

    /// The question block at the top of the chapter's text: the question and its choices, or what
    /// was answered and the reveal; then the tally, chapter by chapter.
    static func block(_ ch: Chapter, _ s: ExplorerState) -> String {
        let p = of(ch, s), words = PredictionText.words(s.lesson.language)
        var lines = ["? " + words.predict + " " + p.question]
        lines += p.choices.enumerated().map { "• \(letters[$0.offset])) \($0.element)" }
        if let given = s.lesson.predictions[ch] {
            let right = p.answer.map { "\(letters[$0])) \(p.choices[$0])" }
            switch given {
            case let .chose(i, ok): lines.append((ok ? "✓ " + words.right : "✗ " + words.wrong) + " (\(letters[i]))" + (right.map { " → \($0)" } ?? ""))
            case .skipped: lines.append("– " + words.skipped + (right.map { " → \($0)" } ?? ""))
            }
            lines.append(p.answer == nil ? p.pending : p.reveal)
        } else {
            lines.append(words.keys)
        }
        lines.append(words.tally + " " + tally(s.lesson.predictions))
        return lines.joined(separator: "\n")
    }

    /// "1✓ 2✗ 3– 4· …": each chapter's right, wrong, skipped or not yet; then the count right.
    static func tally(_ answers: [Chapter: PredictionAnswer]) -> String {
        let marks = Chapter.allCases.map { ch -> String in
            switch answers[ch] {
            case .chose(_, true)?: return "\(ch.rawValue + 1)✓"
            case .chose(_, false)?: return "\(ch.rawValue + 1)✗"
            case .skipped?: return "\(ch.rawValue + 1)–"
            case nil: return "\(ch.rawValue + 1)·"
            }
        }
        let right = answers.values.filter { if case .chose(_, true) = $0 { return true } else { return false } }.count
        return marks.joined(separator: " ") + "  \(right)/\(Chapter.allCases.count)"
    }

    /// a b c answers the chapter's question, s skips it: the first answer counts.
    static func answer(_ choice: Int?, _ s: inout ExplorerState) {
        let ch = s.lesson.chapter, words = PredictionText.words(s.lesson.language)
        guard s.lesson.predictions[ch] == nil else { s.message = words.already; return }
        let p = of(ch, s)
        guard let choice else { s.lesson.predictions[ch] = .skipped; s.lesson.scroll = 0; return }
        guard let right = p.answer else { s.message = p.pending; return }   // not known yet: ask again later
        s.lesson.predictions[ch] = .chose(choice, right: choice == right)
        s.lesson.scroll = 0
    }
}
