// Line breaking by display width, for prose in English and Japanese: English breaks at spaces,
// Japanese between any two characters (it has no spaces), and both keep the kinsoku rules that
// a line never starts with closing punctuation (、。」…) nor ends with an opening bracket.

extension TextWidth {
    /// May not begin a line: closing punctuation, small kana, the prolonged sound mark.
    static let noLineStart = Set<Character>("、。，．）」』】〕〉》’”・：；？！ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥),.:;!?%")
    /// May not end a line: opening brackets.
    static let noLineEnd = Set<Character>("（「『【〔〈《‘“(")

    /// `text` broken into lines of at most `width` columns. "\n" starts a new line (an empty
    /// one stays empty); spaces at a break are dropped; a word longer than a line is cut.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { fill(units(String($0)), width) }
    }

    /// The pieces no break may split, each with whether a space came before it: an English word
    /// (with its punctuation), or one wide character with the punctuation that must follow it.
    static func units(_ line: String) -> [(text: String, spaced: Bool)] {
        var out: [(text: String, spaced: Bool)] = [], current = "", spaced = false
        func flush() {
            if !current.isEmpty { out.append((current, spaced)) }
            current = ""; spaced = false
        }
        for ch in line {
            if ch == " " { flush(); spaced = true; continue }
            if noLineStart.contains(ch) {
                if current.isEmpty && !spaced && !out.isEmpty { out[out.count - 1].text.append(ch) } else { current.append(ch) }
                continue
            }
            let afterOpening = current.last.map { noLineEnd.contains($0) } ?? false
            let wideBoundary = of(ch) == 2 || current.last.map { of($0) == 2 } ?? false
            if wideBoundary && !afterOpening && !current.isEmpty { flush() }
            current.append(ch)
        }
        flush()
        return out
    }

    /// Greedy filling: as many units as fit on each line.
    static func fill(_ units: [(text: String, spaced: Bool)], _ width: Int) -> [String] {
        var lines: [String] = [], line = "", used = 0
        for (text, spaced) in units {
            let w = of(text), gap = spaced && used > 0 ? 1 : 0
            if used + gap + w <= width {
                line += gap == 1 ? " " + text : text
                used += gap + w
                continue
            }
            if used > 0 { lines.append(line) }
            line = ""; used = 0
            for ch in text {   // longer than a line on its own: cut it by characters
                let cw = of(ch)
                if used + cw > width && used > 0 { lines.append(line); line = ""; used = 0 }
                line.append(ch); used += cw
            }
        }
        lines.append(line)
        return lines
    }
}
