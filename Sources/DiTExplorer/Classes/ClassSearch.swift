// The class picker (`/`): a search prompt over the model's class names (ImageNet's 1000 from a
// pipeline's id2label), the matching classes listed as they are typed, Enter branches to the
// chosen one, Esc goes back. While it is open every key types into it (q too).
import DiT

public struct ClassSearch: Equatable, Sendable {
    public var query = ""
    public var matches: [Int]          // classes shown, in index order (the null class last)
    public var selected = 0            // row of `matches`
    public static let maxQuery = 64

    /// Opened on the class in use, every class listed.
    public init(_ m: ModelSummary, current: Int) {
        matches = ClassSearch.matching("", m)
        selected = matches.firstIndex(of: current) ?? 0
    }

    /// Every class when the query is empty; digits match the start of the index, anything else
    /// any part of the name (synonyms included), ignoring case; the null class is "∅ null class".
    public static func matching(_ query: String, _ m: ModelSummary) -> [Int] {
        let all = Array(0..<(m.config.numClasses + (m.hasNullClass ? 1 : 0)))
        let q = query.lowercased()
        if q.isEmpty { return all }
        if q.allSatisfy(\.isNumber) { return all.filter { String($0).hasPrefix(q) } }
        return all.filter { m.className($0).lowercased().contains(q) }
    }
}

extension Explorer {
    /// Page size of PgUp / PgDn in the list.
    static let classSearchPage = 10

    /// A key while the class picker is open.
    static func classSearchKey(_ key: Key, _ s: inout ExplorerState) -> [Effect] {
        guard var q = s.classSearch else { return [] }
        switch key {
        case .escape:
            s.classSearch = nil
            return []
        case .enter:
            s.classSearch = nil
            guard q.selected < q.matches.count else { s.message = "no class matches \"\(q.query)\""; return [] }
            var new = s.settings
            new.labels = [q.matches[q.selected]]
            if new == s.settings { s.message = "\(s.model.className(s.label)) already"; return [] }
            return branch(&s, new)
        case .char(let ch) where ch.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value != 127 }):
            guard q.query.count < ClassSearch.maxQuery else { return [] }
            filter(&q, q.query + String(ch), s.model)
        case .backspace:
            guard !q.query.isEmpty else { return [] }
            filter(&q, String(q.query.dropLast()), s.model)
        case .up, .down, .pageUp, .pageDown, .home, .end:
            let d = [Key.up: -1, .down: 1, .pageUp: -classSearchPage, .pageDown: classSearchPage, .home: -q.matches.count, .end: q.matches.count][key]!
            q.selected = max(0, min(q.matches.count - 1, q.selected + d))
        default:
            return []
        }
        s.classSearch = q
        return []
    }

    /// A new query: the class selected stays selected when it still matches.
    static func filter(_ q: inout ClassSearch, _ query: String, _ m: ModelSummary) {
        let was = q.selected < q.matches.count ? q.matches[q.selected] : nil
        q.query = query
        q.matches = ClassSearch.matching(query, m)
        q.selected = was.flatMap { q.matches.firstIndex(of: $0) } ?? 0
    }
}
