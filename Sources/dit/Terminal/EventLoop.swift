// The terminal's two loops: the explorer's (input, the workers' news, the play clock, a frame
// when something changed) and a recording played at its recorded pace.
import CNcurses
import DiTExplorer
import DiTRender
import Dispatch
import Foundation

extension TerminalBackend {
    /// The event loop. Returns the exit status: 0 on q, 128 + signal on SIGINT / SIGTERM / SIGHUP. Each
    /// painted frame also goes to `cast` (an asciicast recording) when given.
    func run(_ driver: SessionDriver, cast: AsciicastWriter? = nil) -> Int32 {
        driver.screen = size
        driver.start()
        var dirty = true
        while !driver.state.quit {
            let sig = shim_caught_signal()
            if sig != 0 { return 128 + sig }
            if dirty {
                show(driver.state, cast: cast, at: driver.clock)
                dirty = false
            }
            if let action = read() {
                driver.send(action)
                dirty = true
                continue   // drain queued keys before the worker's news
            }
            if driver.drain() { dirty = true }
            if driver.tick() { dirty = true }
        }
        return 0
    }

    /// Renders the state at the terminal's size and paints it (and records it in `cast`).
    func show(_ s: ExplorerState, cast: AsciicastWriter?, at t: Double) {
        if s.colorMode != lastMode { lastMode = s.colorMode; invalidate() }
        let (w, h) = size
        let canvas = Explorer.render(s, width: w, height: h)
        paint(canvas, mode: s.colorMode)
        cast?.frame(canvas, mode: shown(s.colorMode), at: t)
    }

    /// A recorded session at its recorded pace (× `speed`): each entry waits for its time, and
    /// for the worker's step when it is one. q or Esc stops early. Returns the exit status.
    func play(_ replay: SessionReplay, speed: Double, cast: AsciicastWriter?) throws -> Int32 {
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 * speed }
        replay.start()
        show(replay.state, cast: cast, at: 0)
        while let t = replay.nextTime {
            let sig = shim_caught_signal()
            if sig != 0 { return 128 + sig }
            if t > elapsed() {
                if case .key(let k)? = read(), k == .char("q") || k == .escape { return 0 }   // read waits ≤ 30 ms
                continue
            }
            _ = try replay.step()
            show(replay.state, cast: cast, at: t)
        }
        return 0
    }
}
