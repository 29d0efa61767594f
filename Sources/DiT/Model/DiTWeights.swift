// All parameters of a DiT, under the official state-dict key names of models.py. Each key is
// written once, beside its field; loading is strict: every key present with the expected shape.

public struct DiTBlockWeights {
    public var qkvW: Tensor, qkvB: Tensor        // blocks.i.attn.qkv          (3D, D), (3D)
    public var projW: Tensor, projB: Tensor      // blocks.i.attn.proj         (D, D), (D)
    public var fc1W: Tensor, fc1B: Tensor        // blocks.i.mlp.fc1           (H, D), (H)
    public var fc2W: Tensor, fc2B: Tensor        // blocks.i.mlp.fc2           (D, H), (D)
    public var adaW: Tensor, adaB: Tensor        // blocks.i.adaLN_modulation.1 (6D, D), (6D)
}

public struct DiTWeights {
    public var patchW: Tensor, patchB: Tensor    // x_embedder.proj  (D, C, p, p) read as (D, C·p·p), (D)
    public var posEmbed: Tensor                  // pos_embed        (1, T, D) fixed 2-D sin-cos
    public var posEmbedStored: Bool              // false when computed because the file lacks it
    public var t1W: Tensor, t1B: Tensor          // t_embedder.mlp.0 (D, 256), (D)
    public var t2W: Tensor, t2B: Tensor          // t_embedder.mlp.2 (D, D), (D)
    public var labelTable: Tensor                // y_embedder.embedding_table (classes + 1, D); row num_classes = null
    public var blocks: [DiTBlockWeights]
    public var finalAdaW: Tensor, finalAdaB: Tensor  // final_layer.adaLN_modulation.1 (2D, D), (2D)
    public var finalW: Tensor, finalB: Tensor        // final_layer.linear (p·p·outC, D), (p·p·outC)
    public var unusedKeys: [String]              // keys in the file the model does not use

    /// Reads every parameter from `store`, checking names and shapes against `config`.
    public init(config c: DiTConfig, store: SafeTensorsStore, file: String) throws {
        var used = Set<String>()
        func load(_ key: String, _ shape: [Int], as storage: [Int]? = nil) throws -> Tensor {
            guard let info = store.tensors[key] else {
                throw DiTError(file: file, field: key, "missing; expected a tensor of shape \(shape)")
            }
            guard info.shape == shape else {
                throw DiTError(file: info.file, field: key, "expected shape \(shape), found \(info.shape)")
            }
            used.insert(key)
            let values = store.floats(key)
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw DiTError(file: info.file, field: key, "expected finite values, found \(values[bad]) at index \(bad)")
            }
            return Tensor(storage ?? shape, values)
        }
        let D = c.hiddenSize, H = c.mlpHidden, T = c.tokenCount
        patchW = try load("x_embedder.proj.weight", [D, c.inChannels, c.patchSize, c.patchSize], as: [D, c.patchDim])
        patchB = try load("x_embedder.proj.bias", [D])
        if store.tensors["pos_embed"] != nil {
            posEmbed = try load("pos_embed", [1, T, D]); posEmbedStored = true
        } else {
            posEmbed = PosEmbed.sinCos2D(dim: D, gridSize: c.gridSize); posEmbedStored = false
        }
        t1W = try load("t_embedder.mlp.0.weight", [D, DiTConfig.frequencyEmbeddingSize])
        t1B = try load("t_embedder.mlp.0.bias", [D])
        t2W = try load("t_embedder.mlp.2.weight", [D, D])
        t2B = try load("t_embedder.mlp.2.bias", [D])
        // The table has num_classes + 1 rows when trained with class dropout (the null class
        // for classifier-free guidance), num_classes rows otherwise.
        let tableKey = "y_embedder.embedding_table.weight"
        let rows = store.tensors[tableKey]?.shape.first == c.numClasses ? c.numClasses : c.numClasses + 1
        labelTable = try load(tableKey, [rows, D])
        blocks = try (0..<c.depth).map { i in
            let p = "blocks.\(i)."
            return DiTBlockWeights(
                qkvW: try load(p + "attn.qkv.weight", [3 * D, D]), qkvB: try load(p + "attn.qkv.bias", [3 * D]),
                projW: try load(p + "attn.proj.weight", [D, D]), projB: try load(p + "attn.proj.bias", [D]),
                fc1W: try load(p + "mlp.fc1.weight", [H, D]), fc1B: try load(p + "mlp.fc1.bias", [H]),
                fc2W: try load(p + "mlp.fc2.weight", [D, H]), fc2B: try load(p + "mlp.fc2.bias", [D]),
                adaW: try load(p + "adaLN_modulation.1.weight", [6 * D, D]),
                adaB: try load(p + "adaLN_modulation.1.bias", [6 * D]))
        }
        finalAdaW = try load("final_layer.adaLN_modulation.1.weight", [2 * D, D])
        finalAdaB = try load("final_layer.adaLN_modulation.1.bias", [2 * D])
        finalW = try load("final_layer.linear.weight", [c.finalDim, D])
        finalB = try load("final_layer.linear.bias", [c.finalDim])
        unusedKeys = store.tensors.keys.filter { !used.contains($0) }.sorted()
    }

    public var parameterCount: Int {
        let b = blocks.reduce(0) { acc, w in
            acc + [w.qkvW, w.qkvB, w.projW, w.projB, w.fc1W, w.fc1B, w.fc2W, w.fc2B, w.adaW, w.adaB].reduce(0) { $0 + $1.count }
        }
        return b + [patchW, patchB, t1W, t1B, t2W, t2B, labelTable, finalAdaW, finalAdaB, finalW, finalB].reduce(0) { $0 + $1.count }
    }
}
