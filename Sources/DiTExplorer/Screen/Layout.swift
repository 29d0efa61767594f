// Screen geometry shared by the views and by mouse hit-testing, so a click lands on the patch
// that was drawn there.
import DiT
import DiTRender

public struct Layout: Equatable, Sendable {
    public let width: Int, height: Int
    /// Whether a judge scores the model's x̂0 (false: the class strip is the one line saying so).
    public let judged: Bool
    public let design: Conditioning      // the model's block design: the conditioning tab's name

    public init(width: Int, height: Int, judged: Bool = true, design: Conditioning = .adaLNZero) {
        self.width = width; self.height = height; self.judged = judged; self.design = design
    }

    /// The layout of state s's screen.
    public init(width: Int, height: Int, for s: ExplorerState) {
        self.init(width: width, height: height, judged: s.model.judged, design: s.model.config.conditioning)
    }

    public var tabBar: Rect { Rect(x: 0, y: 0, width: width, height: 1) }
    public var body: Rect { Rect(x: 0, y: 1, width: width, height: height - 3) }
    public var statusBar: Rect { Rect(x: 0, y: height - 2, width: width, height: 2) }

    /// Tabs in the top row, after the title.
    public var tabs: [(Pane, Rect)] {
        var x = title.count + 2
        return Pane.allCases.map { p in
            let w = tabLabel(p).count
            defer { x += w + 1 }
            return (p, Rect(x: x, y: 0, width: w, height: 1))
        }
    }
    static let hint = "? help  q quit ", shortHint = "? help "
    /// How wide the tab labels are: titles, short titles, tiny titles (60 columns).
    enum TabWidth: CaseIterable { case full, short, tiny, numbers }   // numbers: " 6 " (seven tabs at 60 columns)
    /// Title and tab labels shortened on narrow screens so the tabs and the help hint still fit.
    func fits(title: String, _ tabs: TabWidth) -> Bool {
        let used = Pane.allCases.reduce(0) { $0 + Layout.tabLabel($1, tabs, design).count + 1 }
        return title.count + 1 + used + (tabs == .tiny || tabs == .numbers ? Layout.shortHint : Layout.hint).count < width
    }
    var title: String { fits(title: " DiT explorer", .full) ? " DiT explorer" : " DiT" }
    var tabWidth: TabWidth { TabWidth.allCases.first { fits(title: " DiT", $0) } ?? .numbers }
    /// The help hint at the right of the top row: at least "? help", whatever the width.
    public var hint: String { tabWidth == .tiny || tabWidth == .numbers ? Layout.shortHint : Layout.hint }
    func tabLabel(_ p: Pane) -> String { Layout.tabLabel(p, tabWidth, design) }
    static func tabLabel(_ p: Pane, _ w: TabWidth, _ design: Conditioning) -> String {
        let t = p.titles(design)
        return w == .numbers ? " \(p.rawValue + 1) " : " \(p.rawValue + 1) \(w == .full ? t.full : w == .short ? t.short : t.tiny) "
    }

    /// Denoising: the timeline's three rows (label, bars, markers) above the class strip.
    public var timeline: Rect { Rect(x: body.x + 1, y: body.maxY - 3 - classStrip.height, width: body.width - 2, height: 3) }
    /// Denoising: the judge's class probabilities per step under the timeline: a row per class
    /// on tall screens, one row (the requested class) from 80 × 24, none below; a model no judge
    /// scores (ImageNet) gets the line that says so.
    public var classStrip: Rect {
        let h = body.height >= 40 && judged ? 11 : body.height >= 20 ? 2 : 0
        return Rect(x: body.x + 1, y: body.maxY - h, width: body.width - 2, height: h)
    }
    /// The column of the timeline's bar row that shows step k of K, and back.
    public func timelineColumn(step k: Int, of K: Int) -> Int { timeline.x + k * timelineWidth(K) / max(1, K) }
    public func timelineStep(column x: Int, of K: Int) -> Int {
        min(K - 1, max(0, (x - timeline.x) * K / timelineWidth(K)))
    }
    func timelineWidth(_ K: Int) -> Int { max(1, min(timeline.width, K)) }

    /// Patches and Attention: the side panel on the right, the big image on the left.
    public var sidePanel: Rect {
        let w = min(46, max(0, body.width / 2))
        return Rect(x: body.maxX - w, y: body.y, width: w, height: body.height)
    }
    /// Where the big image is fitted (under its one-line caption).
    public var mainImage: Rect {
        Rect(x: body.x + 1, y: body.y + 1, width: body.width - sidePanel.width - 2, height: body.height - 2)
    }
}
