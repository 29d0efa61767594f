// `dit explore --benchmark`: the issue's bar, measured without a terminal. Render time is the
// pure view (state -> Canvas), the part a keypress waits for; the worker runs a 50-step
// history with every probe on, then peak RSS is read. A latent model's VAE decodes the last x̂0
// (the frames then show it).
import DiT
import DiTExplorer
import DiTRender
import Foundation

enum ExplorerBenchmark {
    /// `driver`: a session of the sampler alone, not started (the decode below is timed on its own).
    static func run(_ driver: SessionDriver, started: UInt64, history: Int = 50, renders: Int = 200, vae: AutoencoderKL? = nil) throws -> String {
        func ms(since t: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6 }
        _ = Explorer.render(driver.state, width: 100, height: 35)
        let firstFrame = ms(since: started)
        var lines = [String(format: "start → first frame      %.1f ms (model loaded, x_T drawn at 100×35)", firstFrame)]
        if let age = processAge() {
            lines.append(String(format: "  from process start     %.0f ms (±10 ms: /proc clock ticks), what a user waits", age * 1000))
        }

        // A 50-step history with attention, adaLN and token-norm probes, through the session's own dispatch.
        let t0 = DispatchTime.now().uptimeNanoseconds
        driver.start()
        while driver.state.stepCount < history {   // more steps until the history fits
            let before = driver.state.stepCount
            driver.send(.key(.char("n")))
            if driver.state.stepCount == before { break }
        }
        driver.send(.key(.end))
        let want = min(history, driver.state.stepCount)
        while driver.state.steps.count < want && driver.state.failure == nil {
            driver.drain()
            usleep(2000)
        }
        driver.workers.stop()
        var s = driver.state
        if let f = s.failure { throw DiTError(file: "benchmark", f) }
        let sampling = ms(since: t0)
        lines.append(String(format: "history                  %d steps in %.0f ms (%.1f ms/step, %@ %d steps, CFG %.1f, probes on)",
                            s.steps.count, sampling, sampling / Double(max(1, s.steps.count)),
                            s.settings.kind.rawValue.uppercased(), s.stepCount, Double(s.settings.cfgScale)))
        // The newest step: it keeps its attention under any memory budget. From here on the
        // measures are pure (update and render of a copy of the state), with no worker.
        s.k = s.steps.count - 1
        s.follow = false
        if let vae, let last = s.view {
            let event = DecodeWorker.decode(DecodeJob(k: s.k, latents: last.predX0), with: vae)
            guard case .decoded(_, let image, let ms) = event else {
                if case .failed(_, let text) = event { throw DiTError(file: "benchmark", text) }
                return ""
            }
            _ = Explorer.update(&s, .worker(.decode(event)))
            lines.append(String(format: "decode                   x̂0 of step %d, %d×%d×%d latent -> %d×%d×%d image in %.0f ms (VAE, %.1f M parameters)",
                                s.k, last.predX0.height, last.predX0.width, last.predX0.channels, image.height, image.width, image.channels,
                                ms, Double(vae.parameterCount) / 1e6))
        }

        var worst = 0.0
        for (w, h) in [(100, 35), (200, 60)] {
            for pane in Pane.allCases {
                s.pane = pane
                var times: [Double] = []
                for _ in 0..<renders {
                    let t = DispatchTime.now().uptimeNanoseconds
                    _ = Explorer.render(s, width: w, height: h)
                    times.append(ms(since: t))
                }
                times.sort()
                worst = max(worst, times[times.count / 2])
                lines.append(String(format: "render %3d×%-3d %@ median %6.2f ms   p95 %6.2f ms   max %6.2f ms",
                                    w, h, pane.title.padding(toLength: 10, withPad: " ", startingAt: 0) as NSString, times[times.count / 2], times[times.count * 95 / 100], times.last!))
            }
        }
        // Keypress → frame: update plus render, for keys that need no sampling.
        let keys: [Key] = [.char("]"), .char("a"), .char("l"), .char("j"), .char("}"), .char("["), .left, .right, .tab, .char("p")]
        var times: [Double] = []
        for i in 0..<renders {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = Explorer.update(&s, .key(keys[i % keys.count]))
            _ = Explorer.render(s, width: 100, height: 35)
            times.append(ms(since: t))
        }
        times.sort()
        lines.append(String(format: "keypress → frame 100×35  median %.2f ms   p95 %.2f ms (update + render)", times[times.count / 2], times[times.count * 95 / 100]))
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMB = Double(usage.ru_maxrss) / 1024   // Linux reports KiB
        lines.append(String(format: "peak RSS                 %.0f MB after the %d-step history", peakMB, s.steps.count))
        lines.append(String(format: "goals                    frame ≤ 16 ms: %@   first frame ≤ 1 s: %@   memory ≤ 400 MB: %@",
                            worst <= 16 ? "met" : "MISSED", firstFrame <= 1000 ? "met" : "MISSED", peakMB <= 400 ? "met" : "MISSED"))
        return lines.joined(separator: "\n")
    }

    /// Seconds since this process started (Linux /proc; nil elsewhere): the dynamic loader and
    /// the Swift runtime count too.
    static func processAge() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let now = Double(uptime.split(separator: " ")[0]),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after "(comm)": state is field 3, starttime field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        return now - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
