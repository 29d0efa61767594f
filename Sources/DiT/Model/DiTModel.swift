// DiT (Peebles & Xie 2023), the forward pass of facebookresearch/DiT models.py DiT.forward:
//   x = x_embedder(x) + pos_embed      (N, T, D)
//   t = t_embedder(t)                  (N, D)
//   y = y_embedder(y)                  (N, D)
//   c = t + y                          (N, D)
//   x = block(x, c) for each block     (N, T, D)
//   x = final_layer(x, c)              (N, T, p·p·outC)
//   x = unpatchify(x)                  (N, outC, I, I)
// and the other block designs of Fig. 5 (config "conditioning"): cross-attention attends to
// c = [t, y] (N, 2, D); in-context runs the blocks over [t, y, x] (N, T + 2, D).
import Foundation

public final class DiTModel: @unchecked Sendable {
    public let config: DiTConfig
    public let weights: DiTWeights
    /// Which probes the next forward records; changing it rebuilds the buffers once.
    public var probeRequest: ProbeRequest = .none {
        didSet { if probeRequest != oldValue { states = [:] } }
    }
    /// One arena per batch size, and the shares of it that a split batch runs as (views into it;
    /// empty when the batch is not split).
    private var states: [Int: (whole: RunState, shares: [Share])] = [:]
    private typealias Share = (samples: Range<Int>, state: RunState)

    public init(config: DiTConfig, weights: DiTWeights) {
        BLAS.singleThreaded
        self.config = config
        self.weights = weights
    }

    /// Opens a model directory: config.json plus model.safetensors or a sharded index; or
    /// diffusers' DiTTransformer2DModel folder (diffusion_pytorch_model.safetensors), bare or as
    /// a pipeline's transformer/ (its model_index.json's id2label then names the classes).
    public convenience init(directory path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw DiTError(file: path, "expected a model directory holding config.json and model.safetensors")
        }
        let directory = DiffusersDiT.transformerFolder(path)
        let configPath = (directory as NSString).appendingPathComponent("config.json")
        let config: DiTConfig, weights: DiTWeights, store: SafeTensorsStore
        if DiffusersDiT.isDiffusersConfig(configPath) {
            let names = try DiffusersDiT.classNames(modelIndex: (path as NSString).appendingPathComponent("model_index.json"))
            config = try DiffusersDiT.config(json: FileRead.contents(configPath, "the model config"), file: configPath, classNames: names)
            try config.validate(file: configPath)
            store = try SafeTensorsStore.open(directory, names: [SafeTensorsStore.diffusersName, SafeTensorsStore.modelName])
            weights = try DiTWeights(diffusers: config, store: store, file: directory)
        } else {
            config = try DiTConfig.load(URL(fileURLWithPath: configPath))
            store = try SafeTensorsStore.open(directory)
            weights = try DiTWeights(config: config, store: store, file: directory)
        }
        self.init(config: config, weights: weights)
        dtypes = store.dtypes.map(\.rawValue).sorted()
        shards = store.files.map { ($0.path as NSString).lastPathComponent }
    }

    public private(set) var dtypes: [String] = ["F32"]
    public private(set) var shards: [String] = []

    /// The null class (index num_classes) exists when the label table has the extra row.
    public var hasNullClass: Bool { weights.labelTable.shape[0] > config.numClasses }
    public var nullClass: Int { config.numClasses }

    /// Probes recorded by the last forward of batch size `n`.
    public func probes(batch n: Int) -> Probes? { states[n]?.whole.probes }

    /// Checks x, t and y against the config; names `source` (a file or flag) on failure, or
    /// `timesteps` / `labels` for the problems of t and y when those came from elsewhere.
    public func validate(x: Tensor, t: [Float], y: [Int], source: String = "input",
                         timesteps: String? = nil, labels: String? = nil) throws {
        let c = config
        guard x.shape.count == 4, x.shape[1] == c.inChannels, x.shape[2] == c.inputSize, x.shape[3] == c.inputSize else {
            throw DiTError(file: source, field: "shape",
                           "expected (N, \(c.inChannels), \(c.inputSize), \(c.inputSize)), found \(x.shape)")
        }
        let n = x.shape[0]
        guard n >= 1 else { throw DiTError(file: source, field: "shape", "expected at least one sample (N ≥ 1), found \(x.shape)") }
        let tSource = timesteps ?? source, ySource = labels ?? source
        guard t.count == n else { throw DiTError(file: tSource, field: timesteps == nil ? "t" : "", "expected \(n) timesteps (one per sample), found \(t.count)") }
        guard y.count == n else { throw DiTError(file: ySource, field: labels == nil ? "class" : "", "expected \(n) labels (one per sample), found \(y.count)") }
        let maxLabel = weights.labelTable.shape[0] - 1
        if let bad = y.first(where: { $0 < 0 || $0 > maxLabel }) {
            throw DiTError(file: ySource, field: labels == nil ? "class" : "\(bad)",
                           "label \(bad) out of range; expected 0…\(c.numClasses - 1)" + (hasNullClass ? " or \(c.numClasses) (null class)" : ""))
        }
        if let bad = t.first(where: { !$0.isFinite || $0 < 0 }) {
            throw DiTError(file: tSource, field: timesteps == nil ? "t" : "\(bad)", "expected non-negative finite timesteps, found \(bad)")
        }
    }

    /// model(x, t, y) -> (N, outC, I, I). The returned tensor is the model's own buffer,
    /// overwritten by the next forward of the same batch size: copy it to keep it.
    /// A batch of several samples runs as one forward per share of it (Parallel.shares), each
    /// on its own core: the same arithmetic per sample as one forward of the whole batch (so bit
    /// for bit the same result), without a thread hand-off at every stage.
    /// `ablations`: branches and heads that add nothing in this forward (Ablation.swift).
    public func forward(x: Tensor, t: [Float], y: [Int], ablations: AblationSet = .none) throws -> Tensor {
        try validate(x: x, t: t, y: y)
        try ablations.validate(config)
        let N = x.shape[0], (s, split) = state(batch: N), perSample = x.count / N
        if split.isEmpty {
            run(x.data, t, y, s, modulated: false, ablations)
        } else {
            // adaLN_modulation depends on c alone: every block's for the whole batch first, the
            // blocks shared out over the cores, so that each weight is read once, not once a share.
            let early = config.conditioning.modulationVectors > 0 && weights.blockEmbedders.count <= 1
            if early {
                embedCondition(t, y, weights.embedder, s)
                Parallel.shares(split.count) { p in
                    for i in config.depth * p / split.count..<config.depth * (p + 1) / split.count {
                        if case .modulation(let ada) = weights.blocks[i].conditioning { BlockParts.modulate(ada, index: i, s, config) }
                    }
                }
            }
            Parallel.shares(split.count) { i in
                let (r, part) = split[i]
                run(x.data + r.lowerBound * perSample, Array(t[r]), Array(y[r]), part, modulated: early, ablations)
            }
        }
        return s.output
    }

    /// The forward of s.n samples x (N, C, I, I) into s.output; `modulated`: s.c, s.siluC and s.mod
    /// (every block's adaLN modulation) hold this batch's already; `ablations` checked against the config.
    private func run(_ x: UnsafeMutablePointer<Float>, _ t: [Float], _ y: [Int], _ s: RunState, modulated: Bool, _ ablations: AblationSet) {
        let c = config, w = weights
        let N = s.n, T = c.tokenCount, D = c.hiddenSize

        let design = c.conditioning, L = c.sequenceLength
        // x = x_embedder(x) + pos_embed                                      (N, T, D)
        // (in-context: into s.h first, then behind the two conditioning tokens of s.x)
        let embedded = design == .inContext ? s.h : s.x
        PatchEmbed.patchify(x, n: N, channels: c.inChannels, size: c.inputSize, patch: c.patchSize, into: s.patches.data)
        BLAS.linear(s.patches.data, rows: N * T, w.patchW, w.patchB, into: embedded.data)  // (NT, Cpp) @ (D, Cpp)ᵀ
        for n in 0..<N { for i in 0..<T * D { embedded.data[n * T * D + i] += w.posEmbed.data[i] } }

        // c = t_embedder(t) + y_embedder(y)                                  (N, D)
        if !modulated {
            TimestepEmbedder.apply(t, w.embedder, s, c)
            if design.attendsToCondition {  // [t_emb, y_emb] kept apart                     (N, 2, D)
                for n in 0..<N {
                    (s.cond.data + n * 2 * D).update(from: s.c.data + n * D, count: D)
                    (s.cond.data + (n * 2 + 1) * D).update(from: LabelEmbedder.row(y[n], w.embedder, D), count: D)
                }
            }
            LabelEmbedder.add(y, w.embedder, s, c)
            Ops.silu(s.c.data, count: N * D, into: s.siluC.data)  // every adaLN_modulation starts with SiLU
        }
        if design == .inContext {  // x = [t_emb, y_emb, patches]                          (N, T + 2, D)
            for n in 0..<N {
                (s.x.data + n * L * D).update(from: s.cond.data + n * 2 * D, count: 2 * D)
                (s.x.data + (n * L + 2) * D).update(from: s.h.data + n * T * D, count: T * D)
            }
        }

        for (i, block) in w.blocks.enumerated() {
            if i > 0 && i < w.blockEmbedders.count { embedCondition(t, y, w.blockEmbedders[i], s) }  // diffusers: block i's own c
            let off = ablations.block(i)   // nil: nothing ablated in this block
            switch block.conditioning {
            case .modulation(let ada): DiTBlock.apply(block, modulation: modulated ? nil : ada, index: i, s, c, off)  // adaLN-Zero, adaLN
            case let .crossAttention(n1, n2, n3, q, kv, proj):
                CrossAttentionBlock.apply(block, (n1, n2, n3, q, kv, proj), index: i, s, c, off)
            case let .inContext(n1, n2): InContextBlock.apply(block, norm1: n1, norm2: n2, index: i, s, c, off)
            }
        }
        if w.blockEmbedders.count > 1 { embedCondition(t, y, w.embedder, s) }  // diffusers' final layer: block 0's c
        FinalLayer.apply(w, s, c)
        Unpatchify.apply(s.finalOut.data, n: N, channels: c.outChannels, size: c.inputSize, patch: c.patchSize, into: s.output.data)
    }

    /// s.c (N, D) = t_embedder(t) + y_embedder(y) with `e`, and s.siluC = SiLU(s.c).
    private func embedCondition(_ t: [Float], _ y: [Int], _ e: ConditionEmbedderWeights, _ s: RunState) {
        TimestepEmbedder.apply(t, e, s, config)
        LabelEmbedder.add(y, e, s, config)
        Ops.silu(s.c.data, count: s.n * config.hiddenSize, into: s.siluC.data)
    }

    private func state(batch n: Int) -> (whole: RunState, shares: [Share]) {
        if let s = states[n] { return s }
        let whole = RunState(config: config, batch: n, probes: probeRequest)
        let parts = Self.shareCount(batch: n, cores: Parallel.cores)
        let shares: [Share] = parts <= 1 ? [] : (0..<parts).map { p in
            let r = n * p / parts..<n * (p + 1) / parts
            return (r, RunState(share: whole, samples: r, core: p))
        }
        states[n] = (whole, shares)
        return (whole, shares)
    }

    /// How many shares a batch of n runs as: one per core when they come out even (or nearly:
    /// n ≥ 3 per core), else 1, the stages then split over the cores one by one.
    public static func shareCount(batch n: Int, cores: Int) -> Int {
        cores > 1 && n >= cores && (n % cores == 0 || n >= 3 * cores) ? cores : 1
    }
}
