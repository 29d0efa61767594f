// The lesson's part of update(): moving between chapters, scrolling, switching language, and
// "try it", which hands the keyboard to the explorer on the chapter's pane until L is pressed.

public enum Lessons {
    static func apply(_ command: LessonCommand, _ s: inout ExplorerState) -> [Effect] {
        switch command {
        case .open:
            s.lesson.open = true
            s.lesson.trying = false
            return enter(s.lesson.chapter, &s)
        case .close:
            s.lesson.open = false
            s.lesson.trying = false
            return []
        case .next: return go(to: s.lesson.chapter.rawValue + 1, &s)
        case .previous: return go(to: s.lesson.chapter.rawValue - 1, &s)
        case .chapter(let n): return go(to: n, &s)
        case .scrollDown:
            s.lesson.scroll = min(s.lesson.scroll + 1, LessonBook.longestScroll(s))
            return []
        case .scrollUp:
            s.lesson.scroll = max(0, s.lesson.scroll - 1)
            return []
        case .fullText:
            s.lesson.fullText.toggle()
            return []
        case .language:
            s.lesson.language = s.lesson.language == .en ? .ja : .en
            s.lesson.scroll = 0
            return []
        case .predict(let choice):
            Predictions.answer(choice, &s)
            return []
        case .skipPrediction:
            Predictions.answer(nil, &s)
            return []
        case .tryIt:
            s.lesson.open = false
            s.lesson.trying = true
            s.compare = false
            // A latent model's chapter 1 is tried on its own latents (the Forward pane's real images are pixels).
            s.pane = s.lesson.chapter == .latentDiffusion && s.latent != nil ? .denoising : s.lesson.chapter.tryPane
            switch s.lesson.chapter {
            case .decoder: s.source = .eps            // what the linear decoder outputs, per patch
            case .patchify, .scaling: s.overlayPatch = nil
            default: break
            }
            s.message = LessonBook.text(s.lesson.chapter, s.lesson.language, s).tryIt
            return []
        }
    }

    /// Chapter number `target` (from 0), or a message when it is past either end.
    static func go(to target: Int, _ s: inout ExplorerState) -> [Effect] {
        guard let chapter = Chapter(rawValue: target) else {
            s.message = LessonBook.strings(s.lesson.language).bound(target >= Chapter.allCases.count)
            return []
        }
        return enter(chapter, &s)
    }

    /// Shows a chapter from its top. The sampling chapter runs the trajectory to its end, so the
    /// denoising can be watched while it is read.
    static func enter(_ chapter: Chapter, _ s: inout ExplorerState) -> [Effect] {
        if chapter != s.lesson.chapter { s.lesson.scroll = 0 }
        s.lesson.chapter = chapter
        // Chapter 1 on a latent model shows the real decoder: x̂0 of the step on screen, in pixels.
        if chapter == .latentDiffusion, var l = s.latent, s.current.decodedPicture(near: s.k)?.k != s.k, l.running?.k != s.k {
            l.asked = s.k; l.failure = nil; s.latent = l
        }
        guard chapter == .sampling, s.steps.count < s.stepCount else { return [] }
        return Explorer.apply(.jumpEnd, &s)
    }
}
