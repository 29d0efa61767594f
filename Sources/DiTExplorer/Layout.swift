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
    static let hint = "? help  q quit "
    /// Title, help hint and tab labels given up in that order on narrower screens, so the tabs fit.
    func fits(title: String, level: Int, hint: Bool = true) -> Bool {
        let tabs = Pane.allCases.reduce(0) { $0 + Layout.tabLabel($1, level: level).count + 1 }
        return title.count + 1 + tabs + (hint ? Layout.hint.count : 0) < width
    }
    var title: String { fits(title: " DiT explorer", level: 0) ? " DiT explorer" : " DiT" }
    /// 0: titles, 1: short titles (with the hint), 2: three letters.
    var tabLevel: Int { fits(title: " DiT", level: 0, hint: false) ? 0 : fits(title: " DiT", level: 1) ? 1 : 2 }
    func tabLabel(_ p: Pane) -> String { Layout.tabLabel(p, level: tabLevel) }
    static func tabLabel(_ p: Pane, level: Int) -> String {
        " \(p.rawValue + 1) \([p.title, p.shortTitle, String(p.shortTitle.prefix(3))][min(2, max(0, level))]) "
    }

    /// Denoising: the timeline's three rows (label, bars, markers) above the class strip.
    public var timeline: Rect { Rect(x: body.x + 1, y: body.maxY - 3 - classStrip.height, width: body.width - 2, height: 3) }
    /// Denoising: the judge's class probabilities per step under the timeline: a row per class
    /// on tall screens, one row (the requested class) from 80 × 24, none below.
    public var classStrip: Rect {
        let h = body.height >= 40 ? 11 : body.height >= 20 ? 2 : 0
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
