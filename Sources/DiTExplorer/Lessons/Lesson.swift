// Guided lessons: a tour of the paper in nine short chapters, each a page of text beside a live
// pane drawn from the running model. The lesson is part of the explorer's state; "try it" hands
// the keyboard to the explorer on the chapter's pane, and L comes back to the same chapter.

/// The chapters, in the order the paper builds the model up (§3.1 → §4).
public enum Chapter: Int, CaseIterable, Sendable {
    case latentDiffusion, patchify, positionEmbeddings, conditioning, transformerBlock, decoder, sampling, scaling
    case trainingObjective   // how the model was trained: last, after the architecture and its cost

    /// Where "try it" takes the explorer.
    var tryPane: Pane {
        switch self {
        case .latentDiffusion, .trainingObjective: return .forward
        case .sampling: return .denoising
        case .patchify, .positionEmbeddings, .decoder: return .patches
        case .conditioning: return .adaLN
        case .scaling: return .calculator
        case .transformerBlock: return .attention
        }
    }
}

extension Chapter {
    /// The explorer pane the chapter's live pane embeds (nil: one drawn for the chapter alone).
    var livePane: Pane? {
        switch self {
        case .transformerBlock: return .attention
        case .sampling: return .denoising
        case .trainingObjective: return .forward
        default: return nil
        }
    }
}

public enum LessonLanguage: String, CaseIterable, Sendable {
    case en, ja
}

public struct LessonState: Equatable, Sendable {
    public var chapter = Chapter.latentDiffusion
    public var language = LessonLanguage.en
    public var scroll = 0            // text lines scrolled past
    public var open = false          // the lesson fills the screen
    public var trying = false        // "try it": the explorer is shown, L returns to `chapter`
    public var predictions: [Chapter: PredictionAnswer] = [:]   // each chapter's question: the tally
    public var fullText = false      // the text across the whole width, the live pane hidden (f)

    public init(chapter: Chapter = .latentDiffusion, language: LessonLanguage = .en, open: Bool = false) {
        self.chapter = chapter; self.language = language; self.open = open
    }
}

/// What the lesson keys ask for (see Keymap.lessonGroups).
public enum LessonCommand: Equatable, Sendable {
    case open, close, next, previous, chapter(Int), scrollDown, scrollUp, tryIt, language, fullText
    case predict(Int), skipPrediction   // answer the chapter's question (a b c), or skip it (s)
}
