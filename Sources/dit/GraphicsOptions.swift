// --graphics and --detect-graphics, for the explorer, the lessons and `dit view`.
import ArgumentParser
import DiTRender
import Foundation

extension GraphicsRequest: ExpressibleByArgument {}

struct GraphicsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Images in real pixels: auto (ask the terminal), kitty, sixel, iterm, or cells (half blocks).",
                               valueName: GraphicsRequest.allCases.map(\.rawValue).joined(separator: "|")))
    var graphics: GraphicsRequest = .auto
    @Flag(help: "Print which pixel protocol this terminal gets and why, then exit.") var detectGraphics = false

    /// The decision: the terminal is asked unless cells were asked for.
    func decide() -> GraphicsDecision {
        let env = ProcessInfo.processInfo.environment
        let tty = GraphicsProbe.isTerminal
        let replies = graphics == .cells || !GraphicsDetection.worthProbing(env) ? nil
            : GraphicsProbe.ask(tmux: !(env["TMUX"] ?? "").isEmpty)
        return GraphicsDetection.decide(graphics, env: env, tty: tty, replies: replies, windowCell: GraphicsProbe.window()?.cell)
    }

    /// --detect-graphics: the decision and its reasons on stdout. True when it was asked for.
    func report() -> Bool {
        guard detectGraphics else { return false }
        let d = decide()
        print("graphics: \(d.summary)")
        for r in d.reasons { print("  " + r) }
        if let c = d.cellSize { print("  cell size: \(c.width)×\(c.height) px") }
        return true
    }
}
