// update(state, action) -> effects: the only place the state changes. Pure apart from the
// state it is handed, so tests drive it with key sequences and no terminal or thread.
import DiT
import DiTRender

extension CaseIterable where Self: Equatable {
    /// The case `by` places on, wrapping around: for keys that cycle through choices.
    func cycled(by d: Int = 1) -> Self {
        let all = Array(Self.allCases), n = all.count
        return all[((all.firstIndex(of: self)! + d) % n + n) % n]
    }
}

public enum Explorer {
    /// What `z` steps through in the Denoising pane: x̂0, x_t, ε̂ alone (panel indices), then all;
    /// for a latent model the decoded picture (panel 3) first.
    static func zoomCycle(_ s: ExplorerState) -> [Int?] { s.latent == nil ? [nil, 2, 0, 1] : [nil, 3, 2, 0, 1] }

    /// Seconds between steps while playing.
    public static let playInterval = 0.08
    static let stepChoices = [3, 5, 10, 25, 50, 100, 250, 1000]   // 5: DPM++2M at 5 NFE, Heun's 3 steps at 5
    /// The guidance intervals `t` cycles through (model timesteps; nil: every step). 80–600 is
    /// Kynkäänniemi et al.'s σ ∈ (0.28, 5.42] on DiT's linear betas; 0–600 drops the noisiest steps.
    static let guidanceIntervals: [ClosedRange<Float>?] = [nil, 0...600, 80...600, 600...999]

    public static func update(_ s: inout ExplorerState, _ action: Action) -> [Effect] {
        var effects = handle(&s, action)
        for due in work { effects += due(&s, s.onScreen) }   // each feature's background work
        return effects
    }

    static func handle(_ s: inout ExplorerState, _ action: Action) -> [Effect] {
        switch action {
        case .key(let key) where s.classSearch != nil:
            return classSearchKey(key, &s)
        case .click where s.classSearch != nil:
            return []
        case .scroll(let d) where s.classSearch != nil:
            return classSearchKey(d > 0 ? .down : .up, &s)
        case .key(let key):
            if s.showHelp, let d = HelpOverlay.scrollKeys[key] { s.helpScroll = max(0, min(99, s.helpScroll + d)); return [] }
            if s.showHelp && (key == .escape || key == .char("?")) { s.showHelp = false; return [] }
            s.showHelp = false
            s.message = nil
            guard let command = s.lesson.open ? Keymap.lessonCommand(for: key) : Keymap.command(for: key, in: s.pane) else { return [] }
            return apply(command, &s)
        case .click where s.lesson.open:
            return []
        case .scroll(let d) where s.lesson.open:
            return Lessons.apply(d > 0 ? .scrollDown : .scrollUp, &s)
        case .click(let x, let y, let width, let height):
            return click(&s, x: x, y: y, size: (width, height))
        case .scroll(let d) where s.pane == .forward:
            return apply(.forward(.time(d > 0 ? 10 : -10)), &s)   // the wheel moves t there
        case .scroll(let d):
            return apply(d > 0 ? .stepForward : .stepBack, &s)
        case .resize:
            return []   // views lay out from the size they are given
        case .tick(let now):
            guard s.playing, now - s.lastAdvance >= playInterval else { return [] }
            if s.k + 1 < s.steps.count { s.k += 1; s.lastAdvance = now }
            if s.k + 1 >= s.stepCount { s.playing = false }
            return []
        case .worker(let event):
            received(event, &s)
            return []
        case .exported(let report):
            s.message = report
            return []
        }
    }

    /// The first request of a session: compute step 0, so the first screen fills in (and what a
    /// lesson's chapter needs: `dit lesson --chapter 7` runs the sampler to the end).
    public static func start(_ s: inout ExplorerState) -> [Effect] {
        if !s.lesson.open { s.message = startHint }
        return ensureComputed(&s, through: 0) + (s.lesson.open ? Lessons.enter(s.lesson.chapter, &s) : [])
    }

    /// The first screen's message: the explorer opens paused at x_T (issue 27).
    static let startHint = "paused at x_T: space plays, → steps, ? lists the keys"

    /// Whether the model can be guided (it has the null class); says why not otherwise.
    static func guidable(_ s: inout ExplorerState) -> Bool {
        if !s.model.hasNullClass { s.message = "this model has no null class: guidance unavailable (CFG 1)" }
        return s.model.hasNullClass
    }

    /// Whether guidance acts (CFG ≠ 1), so its interval and ramp change something; says why not.
    static func guided(_ s: inout ExplorerState) -> Bool {
        if s.settings.cfgScale == 1 { s.message = "CFG 1 is no guidance: its interval and ramp change nothing (press +)" }
        return s.settings.cfgScale != 1
    }

    /// A setting at the end of its range, as the status line says it.
    static func limit(_ value: String, up: Bool) -> String { "\(value) is the \(up ? "most" : "least") here" }

    static func apply(_ command: Command, _ s: inout ExplorerState) -> [Effect] {
        let c = s.model.config
        var new = s.settings
        switch command {
        case .stepForward:
            guard s.k + 1 < s.stepCount else { s.message = "last step: its x_{t−1} is the sample x_0"; return [] }
            return jump(&s, to: (s.goal ?? s.k) + 1)
        case .stepBack:
            s.halt()
            s.k = max(0, s.k - 1)
            return []
        case .playPause:
            let wasPlaying = s.playing
            s.halt()
            if wasPlaying { return [] }
            if s.k + 1 >= s.stepCount { s.k = 0 }
            s.playing = true
            return ensureComputed(&s, through: s.stepCount - 1)
        case .jumpStart:
            s.halt(); s.k = 0
            return []
        case .jumpEnd:
            s.halt()
            s.k = max(0, min(s.steps.count, s.stepCount) - 1)
            s.follow = s.steps.count < s.stepCount
            return ensureComputed(&s, through: s.stepCount - 1)
        case .pane(let p): s.pane = p; return []
        case .nextPane: s.pane = s.pane.cycled(); return []
        case .previousPane: s.pane = s.pane.cycled(by: -1); return []
        case .classNext, .classPrevious:
            let n = c.numClasses + (s.model.hasNullClass ? 1 : 0)   // the null class is the last choice
            new.labels = [(s.label + (command == .classNext ? 1 : n - 1)) % n]
            return branch(&s, new)
        case .cfgUp, .cfgDown:
            guard guidable(&s) else { return [] }
            if command == .cfgDown && new.cfgScale == 0 { s.message = "CFG 0 is the least (unconditional; 1 = no guidance)"; return [] }
            new.cfgScale = max(0, ((new.cfgScale + (command == .cfgUp ? 0.5 : -0.5)) * 2).rounded() / 2)
            return branch(&s, new)
        case .samplerNext, .samplerPrevious:
            new.kind = new.kind.cycled(by: command == .samplerNext ? 1 : -1)
            if !new.kind.takesKarras { new.karras = false }
            if new.kind != .dpmSolver { new.thresholding = false }
            if new.steps > SamplerSettings.maxSteps(new.kind) {
                new.steps = stepChoices.last { $0 <= SamplerSettings.maxSteps(new.kind) } ?? new.steps
            }
            return branch(&s, new)
        case .karras:
            guard new.kind.takesKarras else { s.message = "Karras σ are DPM++2M's, Euler's and Heun's: press m"; return [] }
            new.karras.toggle()
            return branch(&s, new)
        case .cfgIntervalNext, .cfgIntervalPrevious:
            guard guidable(&s), guided(&s) else { return [] }
            let all = guidanceIntervals, i = all.firstIndex(of: new.cfgInterval) ?? 0
            new.cfgInterval = all[(i + (command == .cfgIntervalNext ? 1 : all.count - 1)) % all.count]
            return branch(&s, new)
        case .cfgSchedule:
            guard guidable(&s), guided(&s) else { return [] }
            new.cfgSchedule = new.cfgSchedule.cycled()
            return branch(&s, new)
        case .guidanceView:
            s.guidanceView.toggle()
            s.pane = .denoising
            return []
        case .zoom:
            let cycle = zoomCycle(s)
            s.zoom = cycle[((cycle.firstIndex(of: s.zoom) ?? 0) + 1) % cycle.count]
            s.pane = .denoising
            return []
        case .panels(let d):   // the view takes the page modulo the pages it has at its size
            if s.pane == .denoising || s.pane == .forward { s.panelPage[s.pane, default: 0] += d } else {
                s.message = "> < page the Denoising and Forward panes' panels: nothing to page here"
            }
            return []
        case .etaUp, .etaDown:
            guard new.kind == .ddim else { s.message = "η is DDIM's: press m for DDIM"; return [] }
            let eta = SamplerSettings.etaRange
            if (command == .etaUp ? eta.upperBound : eta.lowerBound) == new.eta { s.message = limit("η \(Format.f(Double(new.eta), 1))", up: command == .etaUp); return [] }
            new.eta = min(eta.upperBound, max(eta.lowerBound, ((new.eta + (command == .etaUp ? 0.1 : -0.1)) * 10).rounded() / 10))
            return branch(&s, new)
        case .seedNext, .seedPrevious:
            guard command == .seedNext ? new.seed < .max : new.seed > 0 else { s.message = "seed \(new.seed) is the last one"; return [] }
            new.seed = command == .seedNext ? new.seed + 1 : new.seed - 1
            return branch(&s, new, restart: true)
        case .stepsMore, .stepsFewer:
            let choices = stepChoices.filter { $0 <= SamplerSettings.maxSteps(new.kind) }
            new.steps = command == .stepsMore ? choices.first(where: { $0 > new.steps }) ?? new.steps
                                              : choices.last(where: { $0 < new.steps }) ?? new.steps
            if new.steps == s.settings.steps { s.message = limit("\(new.steps) steps", up: command == .stepsMore); return [] }
            return branch(&s, new, restart: true)
        case .compare:
            if s.other == nil { s.message = "no other branch yet: change a parameter first"; return [] }
            s.compare.toggle()
            if s.compare { s.pane = .denoising }
            return []
        case .swapBranches:
            return swap(&s)
        case .ablate:
            return toggleAblation(&s)
        case .ablationMap:
            return toggleAblationMap(&s)
        case .cursorLeft, .cursorRight, .cursorUp, .cursorDown:
            let p = s.gridPatch, top = c.inputSize - 1
            switch command {
            case .cursorLeft: s.cursorX = max(0, s.cursorX - p)
            case .cursorRight: s.cursorX = min(top, s.cursorX + p)
            case .cursorUp: s.cursorY = max(0, s.cursorY - p)
            default: s.cursorY = min(top, s.cursorY + p)
            }
            return []
        case .blockNext: s.block = (s.block + 1) % c.depth; return []
        case .blockPrevious: s.block = (s.block + c.depth - 1) % c.depth; return []
        case .headNext, .headPrevious:
            if s.attentionMode != .head { s.attentionMode = .head } else {
                s.head = (s.head + (command == .headNext ? 1 : c.numHeads - 1)) % c.numHeads
            }
            return []
        case .attentionMode: s.attentionMode = s.attentionMode.cycled(); return []
        case .overlayPatch:
            let options: [Int?] = [nil] + [2, 4, 8].filter { c.inputSize % $0 == 0 && $0 != c.patchSize }.map { $0 }
            let i = options.firstIndex(where: { $0 == s.overlayPatch }) ?? 0
            s.overlayPatch = options[(i + 1) % options.count]
            return []
        case .imageSource: s.source = s.source.cycled(); return []
        case .colorMode:
            s.colorMode = s.colorMode.cycled()
            if s.colorMode == .truecolor && !s.truecolorAvailable { s.colorMode = s.colorMode.cycled() }
            return []
        case .calculatorFieldNext, .calculatorFieldPrevious, .calculatorIncrease, .calculatorDecrease, .calculatorReset,
             .calculatorScrollDown, .calculatorScrollUp:
            s.message = calculate(command, &s.calculator, model: c)
            return []
        case .classSearch:
            s.classSearch = ClassSearch(s.model, current: s.label)
            return []
        case .decode: return askDecode(&s)
        case .help: s.showHelp.toggle(); s.helpScroll = 0; return []
        case .back:   // one level up, never out: compare, then a lesson's try-it
            if s.compare { s.compare = false } else if s.lesson.trying { return Lessons.apply(.open, &s) }
            return []
        case .quit: s.quit = true; return [.quit]
        case .export(let kind): return [.export(kind)]
        case .sheet: return askSheet(&s)
        case .lesson(let l): return Lessons.apply(l, &s)
        case .forward(let f): return applyForward(f, &s)
        }
    }
}
