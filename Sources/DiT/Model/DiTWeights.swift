// All parameters of a DiT, under the official state-dict key names of models.py. Each key is
// written once, beside its field; loading is strict: every key present with the expected shape.

/// nn.Linear: weight (out, in), bias (out).
public struct LinearWeights {
    public var weight: Tensor, bias: Tensor
    var tensors: [Tensor] { [weight, bias] }
}

/// nn.LayerNorm(D, eps=1e-6) with its affine γ (weight) and β (bias), (D) each.
public struct LayerNormWeights {
    public var weight: Tensor, bias: Tensor
    var tensors: [Tensor] { [weight, bias] }
}

/// What a block has for t and y besides attention and the MLP, by design (config "conditioning").
public enum BlockConditioningWeights {
    /// blocks.i.adaLN_modulation.1 (kD, D): adaLN-Zero k = 6, adaLN k = 4.
    case modulation(LinearWeights)
    /// blocks.i.{norm1, norm2, norm3} and blocks.i.cross_attn.{q (D, D), kv (2D, D), proj (D, D)}.
    case crossAttention(norm1: LayerNormWeights, norm2: LayerNormWeights, norm3: LayerNormWeights,
                        q: LinearWeights, kv: LinearWeights, proj: LinearWeights)
    /// blocks.i.{norm1, norm2}: a standard pre-LN ViT block.
    case inContext(norm1: LayerNormWeights, norm2: LayerNormWeights)

    var tensors: [Tensor] {
        switch self {
        case .modulation(let m): return m.tensors
        case let .crossAttention(n1, n2, n3, q, kv, proj): return [n1, n2, n3].flatMap(\.tensors) + [q, kv, proj].flatMap(\.tensors)
        case let .inContext(n1, n2): return n1.tensors + n2.tensors
        }
    }
}

/// The final layer's conditioning: final_layer.adaLN_modulation.1 (2D, D) for the adaLN designs,
/// final_layer.norm_final (affine) for the others.
public enum FinalConditioningWeights {
    case modulation(LinearWeights)
    case norm(LayerNormWeights)

    var tensors: [Tensor] {
        switch self {
        case .modulation(let m): return m.tensors
        case .norm(let n): return n.tensors
        }
    }
}

public struct DiTBlockWeights {
    public var qkvW: Tensor, qkvB: Tensor        // blocks.i.attn.qkv          (3D, D), (3D)
    public var projW: Tensor, projB: Tensor      // blocks.i.attn.proj         (D, D), (D)
    public var fc1W: Tensor, fc1B: Tensor        // blocks.i.mlp.fc1           (H, D), (H)
    public var fc2W: Tensor, fc2B: Tensor        // blocks.i.mlp.fc2           (D, H), (D)
    public var conditioning: BlockConditioningWeights
    var tensors: [Tensor] { [qkvW, qkvB, projW, projB, fc1W, fc1B, fc2W, fc2B] + conditioning.tensors }

    /// The (out, in) weights of its Linear layers.
    var linearWeights: [Tensor] {
        let extra: [Tensor]
        switch conditioning {
        case .modulation(let m): extra = [m.weight]
        case let .crossAttention(_, _, _, q, kv, proj): extra = [q.weight, kv.weight, proj.weight]
        case .inContext: extra = []
        }
        return [qkvW, projW, fc1W, fc2W] + extra
    }
}

public struct DiTWeights {
    public var patchW: Tensor, patchB: Tensor    // x_embedder.proj  (D, C, p, p) read as (D, C·p·p), (D)
    public var posEmbed: Tensor                  // pos_embed        (1, T, D) fixed 2-D sin-cos
    public var posEmbedStored: Bool              // false when computed because the file lacks it
    public var embedder: ConditionEmbedderWeights  // t_embedder, y_embedder (the final layer's; diffusers: block 0's)
    public var blockEmbedders: [ConditionEmbedderWeights]  // diffusers: block i's own; empty: every block uses `embedder`
    public var labelTable: Tensor { embedder.labelTable }  // (classes + 1, D); row num_classes = null
    public var blocks: [DiTBlockWeights]
    public var finalConditioning: FinalConditioningWeights
    public var finalW: Tensor, finalB: Tensor        // final_layer.linear (p·p·outC, D), (p·p·outC)
    public var unusedKeys: [String]              // keys in the file the model does not use

    /// Reads every parameter from `store`, checking names, shapes and values against `config`.
    public init(config c: DiTConfig, store: SafeTensorsStore, file: String) throws {
        var used = Set<String>()
        try self.init(config: c) { key, shape in
            guard let info = store.tensors[key] else {
                if key == "pos_embed" { return nil }  // computed when absent
                throw DiTError(file: file, field: key, "missing; expected a tensor of shape \(shape)")
            }
            let fits = info.shape == shape || DiTWeights.withoutNullRow(key, info.shape, c)
            guard fits else {
                throw DiTError(file: info.file, field: key, "expected shape \(shape), found \(info.shape)")
            }
            used.insert(key)
            let values = store.floats(key)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw DiTError(file: info.file, field: key, "expected finite values, found \(values[bad]) at index \(bad)")
            }
            return (info.shape, values)
        }
        unusedKeys = store.tensors.keys.filter { !used.contains($0) }.sorted()
    }

    /// Random weights of the right shapes (benchmarks and tests of configs without a checkpoint):
    /// N(0, 0.02²) for matrices, zero biases, LayerNorm γ = 1, the computed pos_embed.
    /// `storage` F16 / BF16: the matrices rounded to it, as a checkpoint stored so (their panels
    /// then keep that storage).
    public static func random(config c: DiTConfig, seed: UInt64 = 0, storage: PackedPanels.Storage = .f32) throws -> DiTWeights {
        var g = Xoshiro256StarStar(seed: seed, stream: 0xD17)
        return try DiTWeights(config: c) { key, shape in
            if key == "pos_embed" { return nil }
            let gamma = shape.count == 1 && key.hasSuffix(".weight")  // an affine LayerNorm's γ
            var v = [Float](repeating: gamma ? 1 : 0, count: shape.reduce(1, *))
            if shape.count > 1 {
                v.withUnsafeMutableBufferPointer { g.fillNormal($0.baseAddress!, count: $0.count) }
                for i in v.indices { v[i] *= 0.02 }
                if storage == .f16 { for i in v.indices { v[i] = Float(Float16(v[i])) } }
                if storage == .bf16 { for i in v.indices { v[i] = Float(bitPattern: (v[i].bitPattern &+ 0x7FFF &+ (v[i].bitPattern >> 16 & 1)) & 0xFFFF_0000) } }   // round to nearest even
            }
            return (shape, v)
        }
    }

    static let labelTableKey = "y_embedder.embedding_table.weight"

    /// The label table may lack the null-class row (trained without class dropout).
    static func withoutNullRow(_ key: String, _ shape: [Int], _ c: DiTConfig) -> Bool {
        key.hasSuffix(labelTableKey) && shape == [c.numClasses, c.hiddenSize]
    }

    /// Builds every parameter through `source(key, expected shape)` -> (shape, values), or nil
    /// when absent (only pos_embed may be). Each official key name appears once, here.
    init(config c: DiTConfig, source: (String, [Int]) throws -> ([Int], [Float])?) throws {
        func load(_ key: String, _ shape: [Int], as storage: [Int]? = nil) throws -> Tensor {
            guard let (found, values) = try source(key, shape) else {
                throw DiTError(file: "weights", field: key, "missing; expected a tensor of shape \(shape)")
            }
            return Tensor(storage ?? found, values)
        }
        unusedKeys = []
        let D = c.hiddenSize, H = c.mlpHidden, T = c.tokenCount
        patchW = try load("x_embedder.proj.weight", [D, c.inChannels, c.patchSize, c.patchSize], as: [D, c.patchDim])
        patchB = try load("x_embedder.proj.bias", [D])
        if let (_, values) = try source("pos_embed", [1, T, D]) {
            posEmbed = Tensor([1, T, D], values); posEmbedStored = true
        } else {
            posEmbed = PosEmbed.sinCos2D(dim: D, gridSize: c.gridSize); posEmbedStored = false
        }
        func linear(_ key: String, _ outputs: Int, _ inputs: Int) throws -> LinearWeights {
            LinearWeights(weight: try load(key + ".weight", [outputs, inputs]), bias: try load(key + ".bias", [outputs]))
        }
        // num_classes + 1 rows when trained with class dropout: the last is the null class
        // of classifier-free guidance. `prefix` "blocks.i." names block i's own (diffusers).
        func embedders(_ prefix: String) throws -> ConditionEmbedderWeights {
            ConditionEmbedderWeights(mlp0: try linear(prefix + "t_embedder.mlp.0", D, DiTConfig.frequencyEmbeddingSize),
                                     mlp2: try linear(prefix + "t_embedder.mlp.2", D, D),
                                     labelTable: try load(prefix + DiTWeights.labelTableKey, [c.numClasses + 1, D]))
        }
        let first = try embedders("")
        embedder = first
        blockEmbedders = c.format == .diffusers ? try [first] + (1..<c.depth).map { try embedders("blocks.\($0).") } : []
        func norm(_ key: String) throws -> LayerNormWeights {
            LayerNormWeights(weight: try load(key + ".weight", [D]), bias: try load(key + ".bias", [D]))
        }
        let design = c.conditioning
        blocks = try (0..<c.depth).map { i in
            let p = "blocks.\(i)."
            let conditioning: BlockConditioningWeights
            switch design {
            case .adaLNZero, .adaLN:
                conditioning = .modulation(try linear(p + "adaLN_modulation.1", design.modulationVectors * D, D))
            case .crossAttention:
                conditioning = .crossAttention(norm1: try norm(p + "norm1"), norm2: try norm(p + "norm2"), norm3: try norm(p + "norm3"),
                                               q: try linear(p + "cross_attn.q", D, D), kv: try linear(p + "cross_attn.kv", 2 * D, D),
                                               proj: try linear(p + "cross_attn.proj", D, D))
            case .inContext:
                conditioning = .inContext(norm1: try norm(p + "norm1"), norm2: try norm(p + "norm2"))
            }
            let block = DiTBlockWeights(
                qkvW: try load(p + "attn.qkv.weight", [3 * D, D]), qkvB: try load(p + "attn.qkv.bias", [3 * D]),
                projW: try load(p + "attn.proj.weight", [D, D]), projB: try load(p + "attn.proj.bias", [D]),
                fc1W: try load(p + "mlp.fc1.weight", [H, D]), fc1B: try load(p + "mlp.fc1.bias", [H]),
                fc2W: try load(p + "mlp.fc2.weight", [D, H]), fc2B: try load(p + "mlp.fc2.bias", [D]),
                conditioning: conditioning)
            // Packed as each block is read, so only one block's F32 is held at a time (the peak
            // of loading an F16 DiT-XL/2 stays near its 1.35 GB of F16 panels).
            for w in block.linearWeights { w.packForLinear() }
            return block
        }
        finalConditioning = design.modulatedFinalLayer
            ? .modulation(try linear("final_layer.adaLN_modulation.1", 2 * D, D))
            : .norm(try norm("final_layer.norm_final"))
        finalW = try load("final_layer.linear.weight", [c.finalDim, D])
        finalB = try load("final_layer.linear.bias", [c.finalDim])
        // Every Linear weight packed once into the GEMM kernel's panels (BLAS.linear reads them).
        for w in linearWeights where w.panels == nil { w.packForLinear() }
    }

    /// The (out, in) weights of every Linear layer (the patch embedding's conv as (D, C·p·p)).
    var linearWeights: [Tensor] {
        let perBlock = blocks.flatMap(\.linearWeights)
        let final: [Tensor]
        if case .modulation(let m) = finalConditioning { final = [m.weight] } else { final = [] }
        let embedders = (blockEmbedders.isEmpty ? [embedder] : blockEmbedders).flatMap { [$0.mlp0.weight, $0.mlp2.weight] }
        return [patchW] + embedders + perBlock + final + [finalW]
    }

    /// Every parameter tensor (pos_embed apart).
    var parameterTensors: [Tensor] {
        let embedders = blockEmbedders.isEmpty ? [embedder] : blockEmbedders
        return blocks.flatMap(\.tensors) + finalConditioning.tensors + embedders.flatMap(\.tensors) + [patchW, patchB, finalW, finalB]
    }

    /// The parameter count, by the one definition of Parameters.swift: models.py's
    /// `sum(p.numel() for p in model.parameters())`, pos_embed included (stored or computed).
    public var parameterCount: Int { parameterTensors.reduce(posEmbed.count) { $0 + $1.count } }

    /// Bytes the weights keep in memory: the Linear layers' packed panels by their storage (a
    /// checkpoint's F16 / BF16 kept as it is), and the F32 of everything else (biases, norms, the
    /// label table, pos_embed).
    public var memory: (panels: [PackedPanels.Storage: Int], other: Int) {
        var panels: [PackedPanels.Storage: Int] = [:], other = posEmbed.residentBytes
        for t in parameterTensors {
            if let p = t.panels { panels[p.storage, default: 0] += p.bytes; other += t.residentBytes - p.bytes } else { other += t.residentBytes }
        }
        return (panels, other)
    }
}
