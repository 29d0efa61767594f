// Screen geometry shared by the views and by mouse hit-testing, so a click lands on the patch
// that was drawn there.
import DiTRender

public struct Layout: Equatable, Sendable {
    public let width: Int, height: Int

    public init(width: Int, height: Int) { self.width = width; self.height = height }

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
    enum TabWidth: CaseIterable { case full, short, tiny }
    /// Title and tab labels shortened on narrow screens so the tabs and the help hint still fit.
    func fits(title: String, _ tabs: TabWidth) -> Bool {
        let used = Pane.allCases.reduce(0) { $0 + Layout.tabLabel($1, tabs).count + 1 }
        return title.count + 1 + used + (tabs == .tiny ? Layout.shortHint : Layout.hint).count < width
    }
    var title: String { fits(title: " DiT explorer", .full) ? " DiT explorer" : " DiT" }
    var tabWidth: TabWidth { TabWidth.allCases.first { fits(title: " DiT", $0) } ?? .tiny }
    /// The help hint at the right of the top row: at least "? help", whatever the width.
    public var hint: String { tabWidth == .tiny ? Layout.shortHint : Layout.hint }
    func tabLabel(_ p: Pane) -> String { Layout.tabLabel(p, tabWidth) }
    static func tabLabel(_ p: Pane, _ w: TabWidth) -> String {
        " \(p.rawValue + 1) \(w == .full ? p.title : w == .short ? p.shortTitle : p.tinyTitle) "
    }

    /// Denoising: the timeline's three rows at the bottom of the pane (label, bars, markers).
    public var timeline: Rect { Rect(x: body.x + 1, y: body.maxY - 3, width: body.width - 2, height: 3) }
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
