// The sheet export (W): a contact sheet around the current settings, as `dit grid` draws one.
// Rows: the guidance scale halved, as it is and doubled (only as it is when the model cannot be
// guided); columns: the next classes from the current one (the next seeds for a model of one
// class). The samples come from SheetWorker in the background, the status line counts the cells,
// and once they are all in, an export effect writes dit-sheet-….png and .npy (Exporter).
import DiT
import DiTRender

/// What one sheet shows: its cells (row-major), captions, title and file name.
public struct SheetPlan: Equatable, Sendable {
    public var cells: [SamplerSettings]
    public var rowLabels: [String], columnLabels: [String]
    public var title: String
    public var what: String        // the status line's words: "CFG 2.0/4.0/8.0 × 4 classes from T-shirt"
    public var name: String        // the files' name without extension: "dit-sheet-cfg-class-seed0"
}

public struct SheetState: Equatable, Sendable {
    public var job = 0                 // the id of the last job asked for
    public var plan: SheetPlan?
    public var running = false
    public var done = 0
    public var samples: [Float]?       // every cell's (C, H, W), row-major, once finished
    public var due = false             // finished: the export is still to ask for
}

extension Explorer {
    static let sheetColumns = 4

    /// The sheet around `s.settings`.
    public static func sheetPlan(_ s: ExplorerState) -> SheetPlan {
        let st = s.settings, classes = s.model.config.numClasses
        var cfgs: [Float] = []
        for v in s.model.hasNullClass ? [st.cfgScale / 2, st.cfgScale, st.cfgScale * 2] : [st.cfgScale] where !cfgs.contains(v) {
            var t = st
            t.cfgScale = v
            if (try? t.checkBounds()) != nil { cfgs.append(v) }   // within the library's bounds
        }
        let byClass = classes >= 2
        let start = s.label < classes ? s.label : 0
        let labels = (0..<min(sheetColumns, max(classes, 1))).map { (start + $0) % max(classes, 1) }
        let seeds = (0..<UInt64(sheetColumns)).map { st.seed <= UInt64.max - 3 ? st.seed + $0 : st.seed - 3 + $0 }
        let cells = cfgs.flatMap { cfg in
            (byClass ? labels.indices : seeds.indices).map { j -> SamplerSettings in
                var t = st
                t.cfgScale = cfg
                if byClass { t.labels = [labels[j]] } else { t.seed = seeds[j] }
                return t
            }
        }
        let cfgText = cfgs.map { Format.f(Double($0), 1) }.joined(separator: "/")
        let columns = byClass ? labels.map { s.model.className($0) } : seeds.map { "seed \($0)" }
        let what = "CFG \(cfgText) × " + (byClass ? "\(labels.count) classes from \(columns[0])" : "seeds \(seeds[0])–\(seeds.last!)")
        var fixed = [ascii(Format.sampler(st)), "\(st.steps) steps", byClass ? "seed \(st.seed)" : "class \(s.label)"]
        if st.cfgInterval != nil || st.cfgSchedule != .constant { fixed.append(ascii(Format.guidance(st))) }
        fixed.append(st.ablations.isEmpty ? "no ablations" : "off \(st.ablations)")
        let title = "rows: CFG x1/2, x1, x2; columns: " + (byClass ? "next classes" : "next seeds") + "; " + fixed.joined(separator: ", ")
        let name = "dit-sheet-cfg-" + (byClass ? "class-seed\(st.seed)" : "seed-class\(s.label)")
        return SheetPlan(cells: cells, rowLabels: cfgs.map { "CFG \(Format.f(Double($0), 1))" }, columnLabels: columns,
                         title: title, what: what, name: name)
    }

    /// Captions are drawn in ASCII (BitmapFont): η and the interval's ∈ spelled out.
    static func ascii(_ text: String) -> String {
        text.replacingOccurrences(of: "η", with: "eta").replacingOccurrences(of: "∈", with: " in ")
    }

    /// W: starts the sheet of the current settings, unless one is being computed.
    static func askSheet(_ s: inout ExplorerState) -> [Effect] {
        if s.sheet.running, let plan = s.sheet.plan {
            s.message = "sheet still computing (\(s.sheet.done)/\(plan.cells.count)): \(plan.what)"
            return []
        }
        let plan = sheetPlan(s)
        s.sheet = SheetState(job: s.sheet.job + 1, plan: plan, running: true)
        s.message = "sheet 0/\(plan.cells.count) in the background: \(plan.what)"
        return [.sheet(SheetJob(id: s.sheet.job, cells: plan.cells))]
    }

    /// The export, once the samples are in (asked for once).
    static func sheetExports(_ s: inout ExplorerState, _ screen: OnScreen) -> [Effect] {
        guard s.sheet.due else { return [] }
        s.sheet.due = false
        return [.export(.sheet)]
    }

    static func receivedSheet(_ e: SheetEvent, _ s: inout ExplorerState) {
        guard let plan = s.sheet.plan else { return }
        switch e {
        case let .progress(id, done, total) where id == s.sheet.job:
            s.sheet.done = done
            s.message = "sheet \(done)/\(total): \(plan.what)"
        case let .finished(id, samples) where id == s.sheet.job:
            s.sheet.samples = samples; s.sheet.running = false; s.sheet.due = true
            s.message = "sheet done, writing: \(plan.what)"
        case let .failed(id, text) where id == s.sheet.job:
            s.sheet.running = false
            s.message = "sheet failed: \(text)"
        default: break   // a stale job's
        }
    }

    /// The sheet as a captioned picture and as samples (rows, cols, C, H, W); nil before it is in.
    public static func sheetPicture(_ s: ExplorerState) -> (picture: Raster, samples: Tensor)? {
        guard let plan = s.sheet.plan, let values = s.sheet.samples else { return nil }
        let c = s.model.config, rows = plan.rowLabels.count, cols = plan.columnLabels.count
        let shape = [rows, cols, c.inChannels, c.inputSize, c.inputSize]
        guard values.count == shape.reduce(1, *) else { return nil }
        let picture = values.withUnsafeBufferPointer {
            ContactSheet.compose($0, shape: shape, scale: max(1, 128 / c.inputSize), rowLabels: plan.rowLabels,
                                 columnLabels: plan.columnLabels, title: plan.title)
        }
        return (picture, Tensor(shape, values))
    }
}
