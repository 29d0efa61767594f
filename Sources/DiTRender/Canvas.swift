// The in-memory screen every view draws into (ratatui's Buffer): a grid of cells, each a glyph
// with optional 24-bit foreground and background (nil = the terminal's default) and attributes.
// A wide glyph occupies its cell and the next, which holds `Cell.wideTail`.

public struct Attrs: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attrs(rawValue: 1), dim = Attrs(rawValue: 2), reverse = Attrs(rawValue: 4)
    public static let underline = Attrs(rawValue: 8), italic = Attrs(rawValue: 16)
}

public struct Cell: Hashable, Sendable {
    public var glyph: Character
    public var fg: RGB?
    public var bg: RGB?
    public var attrs: Attrs

    public init(_ glyph: Character = " ", fg: RGB? = nil, bg: RGB? = nil, attrs: Attrs = []) {
        self.glyph = glyph; self.fg = fg; self.bg = bg; self.attrs = attrs
    }
    public static let blank = Cell()
    /// The right half of a wide glyph: backends skip it, text output drops it.
    public static let wideTail = Cell("\u{0}")
    public var isWideTail: Bool { glyph == "\u{0}" }
}

public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public func contains(_ px: Int, _ py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
    public func inset(_ d: Int) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
    /// The top `rows` rows, and the rest.
    public func splitTop(_ rows: Int) -> (Rect, Rect) {
        let r = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: r), Rect(x: x, y: y + r, width: width, height: height - r))
    }
    /// The left `cols` columns, and the rest.
    public func splitLeft(_ cols: Int) -> (Rect, Rect) {
        let c = min(max(0, cols), width)
        return (Rect(x: x, y: y, width: c, height: height), Rect(x: x + c, y: y, width: width - c, height: height))
    }
}

public struct Canvas: Equatable, Sendable {
    public let width: Int, height: Int
    public private(set) var cells: [Cell]
    /// The images drawn into the cells, for a backend that can show real pixels (Placement.swift).
    public internal(set) var images: [ImagePlacement] = []

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Out-of-bounds reads give a blank, writes are dropped: views may draw past an edge.
    public subscript(x: Int, y: Int) -> Cell {
        get { x >= 0 && x < width && y >= 0 && y < height ? cells[y * width + x] : .blank }
        set { if x >= 0 && x < width && y >= 0 && y < height { cells[y * width + x] = newValue } }
    }

    public mutating func fill(_ r: Rect, with cell: Cell = .blank) {
        for y in max(0, r.y)..<min(height, r.maxY) where r.x < width {
            for x in max(0, r.x)..<min(width, r.maxX) { cells[y * width + x] = cell }
        }
    }

    /// Writes text from (x, y), clipped to `maxWidth` columns (and the canvas); returns the next x.
    /// A wide glyph that would straddle the edge becomes a space.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, fg: RGB? = nil, bg: RGB? = nil,
                             attrs: Attrs = [], maxWidth: Int? = nil) -> Int {
        let limit = min(width, x + (maxWidth ?? width))
        var cx = x
        for ch in text {
            let w = TextWidth.of(ch)
            if w == 0 { continue }
            if cx + w > limit {
                if cx < limit { self[cx, y] = Cell(" ", fg: fg, bg: bg, attrs: attrs) }
                return limit
            }
            unpair(cx, y)
            if w == 2 { unpair(cx + 1, y) }
            self[cx, y] = Cell(ch, fg: fg, bg: bg, attrs: attrs)
            if w == 2 { self[cx + 1, y] = Cell.wideTail }
            cx += w
        }
        return cx
    }

    /// Writes the parts one after another from (x, y), each only whole and only while it fits
    /// before `maxX` (a number is never cut); returns the next x.
    @discardableResult
    public mutating func put(parts: [(String, RGB?)], x: Int, y: Int, maxX: Int) -> Int {
        var cx = x
        for (text, fg) in parts {
            guard cx + TextWidth.of(text) <= maxX else { break }
            cx = put(text, x: cx, y: y, fg: fg)
        }
        return cx
    }

    /// Before (x, y) is written: the other half of a wide glyph there becomes a space, so no
    /// head is left without its tail (or a tail without its head) for the backend to emit.
    mutating func unpair(_ x: Int, _ y: Int) {
        let cell = self[x, y]
        if cell.isWideTail { self[x - 1, y] = Cell(" ", fg: self[x - 1, y].fg, bg: self[x - 1, y].bg) }
        else if TextWidth.of(cell.glyph) == 2 && self[x + 1, y].isWideTail { self[x + 1, y] = Cell(" ", bg: cell.bg) }
    }

    /// Sets the style of existing cells without touching their glyphs.
    public mutating func style(_ r: Rect, fg: RGB? = nil, bg: RGB? = nil, attrs: Attrs? = nil) {
        for y in max(0, r.y)..<min(height, r.maxY) where r.x < width {
            for x in max(0, r.x)..<min(width, r.maxX) {
                if let fg { cells[y * width + x].fg = fg }
                if let bg { cells[y * width + x].bg = bg }
                if let attrs { cells[y * width + x].attrs = attrs }
            }
        }
    }

    /// The glyphs, one line per row, trailing spaces trimmed: what text goldens compare.
    public var text: String {
        (0..<height).map { row in
            var line = ""
            for x in 0..<width where !cells[row * width + x].isWideTail { line.append(cells[row * width + x].glyph) }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// Rows of the text, for assertions on one line.
    public func line(_ y: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return y < lines.count ? String(lines[y]) : ""
    }
}
