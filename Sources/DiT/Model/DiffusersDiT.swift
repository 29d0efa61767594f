// Hugging Face diffusers' DiTTransformer2DModel (models/transformers/dit_transformer_2d.py), the
// format of the hub's facebook/DiT-XL-2-256, read onto this engine: its config.json becomes a
// DiTConfig and its state dict the official keys of models.py, through the one table below.
// Where diffusers' numerics differ from models.py the config says so (format .diffusers):
//   - the timestep sinusoid is Timesteps(256, flip_sin_to_cos=True, downscale_freq_shift=1);
//   - the LayerNorm before the MLP (norm3) has the config's norm_eps (1e-5), the others 1e-6;
//   - each block has its own timestep and class embedder (transformer_blocks.i.norm1.emb),
//     the final layer uses block 0's; converted checkpoints hold identical copies.
// q, k and v are separate Linears (to_q, to_k, to_v), concatenated here into attn.qkv.
// pos_embed is not stored (a non-persistent buffer): it is computed, as diffusers does.
import Foundation

public enum DiffusersDiT {
    /// Official key -> diffusers key(s), "{i}" standing for a block index. Several keys are
    /// concatenated along dim 0 (q, k, v). "blocks.{i}.t_embedder…" is block i's own embedder.
    static let keyTable: [(official: String, diffusers: [String])] = [
        ("x_embedder.proj.weight", ["pos_embed.proj.weight"]),
        ("x_embedder.proj.bias", ["pos_embed.proj.bias"]),
    ] + embedderRows(official: "", diffusers: "transformer_blocks.0.") + embedderRows(official: "blocks.{i}.", diffusers: "transformer_blocks.{i}.") + blockTable

    /// The embedder's rows under these prefixes.
    static func embedderRows(official: String, diffusers: String) -> [(official: String, diffusers: [String])] {
        embedderKeys.map { (official + $0.official, [diffusers + "norm1.emb." + $0.diffusers]) }
    }

    /// The rest: each block's attention, MLP and modulation, and the final layer.
    static let blockTable: [(official: String, diffusers: [String])] = [
        ("blocks.{i}.attn.qkv.weight", ["transformer_blocks.{i}.attn1.to_q.weight", "transformer_blocks.{i}.attn1.to_k.weight",
                                        "transformer_blocks.{i}.attn1.to_v.weight"]),
        ("blocks.{i}.attn.qkv.bias", ["transformer_blocks.{i}.attn1.to_q.bias", "transformer_blocks.{i}.attn1.to_k.bias",
                                      "transformer_blocks.{i}.attn1.to_v.bias"]),
        ("blocks.{i}.attn.proj.weight", ["transformer_blocks.{i}.attn1.to_out.0.weight"]),
        ("blocks.{i}.attn.proj.bias", ["transformer_blocks.{i}.attn1.to_out.0.bias"]),
        ("blocks.{i}.mlp.fc1.weight", ["transformer_blocks.{i}.ff.net.0.proj.weight"]),
        ("blocks.{i}.mlp.fc1.bias", ["transformer_blocks.{i}.ff.net.0.proj.bias"]),
        ("blocks.{i}.mlp.fc2.weight", ["transformer_blocks.{i}.ff.net.2.weight"]),
        ("blocks.{i}.mlp.fc2.bias", ["transformer_blocks.{i}.ff.net.2.bias"]),
        ("blocks.{i}.adaLN_modulation.1.weight", ["transformer_blocks.{i}.norm1.linear.weight"]),   // same chunk order
        ("blocks.{i}.adaLN_modulation.1.bias", ["transformer_blocks.{i}.norm1.linear.bias"]),
        ("final_layer.adaLN_modulation.1.weight", ["proj_out_1.weight"]),                            // shift, scale as models.py
        ("final_layer.adaLN_modulation.1.bias", ["proj_out_1.bias"]),
        ("final_layer.linear.weight", ["proj_out_2.weight"]),
        ("final_layer.linear.bias", ["proj_out_2.bias"]),
    ]

    /// The t and y embedders, which diffusers keeps in every block (a CombinedTimestepLabelEmbeddings):
    /// the model's own are block 0's, block i's own are "blocks.{i}.t_embedder…".
    static let embedderKeys: [(official: String, diffusers: String)] = [
        ("t_embedder.mlp.0.weight", "timestep_embedder.linear_1.weight"),
        ("t_embedder.mlp.0.bias", "timestep_embedder.linear_1.bias"),
        ("t_embedder.mlp.2.weight", "timestep_embedder.linear_2.weight"),
        ("t_embedder.mlp.2.bias", "timestep_embedder.linear_2.bias"),
        ("y_embedder.embedding_table.weight", "class_embedder.embedding_table.weight"),
    ]

    /// The diffusers keys of an official key (nil: not in the table, like pos_embed).
    static func diffusersKeys(_ official: String) -> [String]? {
        if let row = keyTable.first(where: { $0.official == official }) { return row.diffusers }
        guard official.hasPrefix("blocks.") else { return nil }
        let rest = official.dropFirst("blocks.".count)
        guard let dot = rest.firstIndex(of: "."), let i = Int(rest[..<dot]) else { return nil }
        let pattern = "blocks.{i}" + rest[dot...]
        return keyTable.first(where: { $0.official == pattern })?.diffusers.map { $0.replacingOccurrences(of: "{i}", with: "\(i)") }
    }

    /// A config.json that is diffusers' (a `_class_name`, or num_layers where models.py has depth).
    public static func isDiffusersConfig(_ path: String) -> Bool {
        guard let data = try? FileRead.contents(path, "the model config"), let root = try? JSON.object(data, file: path) else { return false }
        return root["_class_name"] != nil || (root["num_layers"] != nil && root["depth"] == nil)
    }

    /// PATH/transformer for a pipeline folder, else PATH.
    public static func transformerFolder(_ path: String) -> String { ConfigFields.pipelineComponent(path, "transformer") }

    /// DiTTransformer2DModel's config.json as a DiTConfig; absent fields take diffusers' defaults
    /// (DiT-XL/2), as from_config does. `classNames` come from a pipeline's id2label.
    public static func config(json data: Data, file: String, classNames: [String]? = nil) throws -> DiTConfig {
        let f = try ConfigFields(json: data, file: file)
        try f.requireClass("DiTTransformer2DModel")
        func require(_ key: String, _ value: String?, _ expected: String) throws {
            guard value == nil || value == expected else {
                throw DiTError(file: file, field: key, "expected \"\(expected)\" (the DiT of the paper), found \"\(value!)\"")
            }
        }
        try require("norm_type", try f.string("norm_type", default: nil), "ada_norm_zero")
        try require("activation_fn", try f.string("activation_fn", default: nil), "gelu-approximate")
        guard try f.bool("attention_bias", default: true) else { throw DiTError(file: file, field: "attention_bias", "expected true, found false") }
        guard try !f.bool("norm_elementwise_affine", default: false) else {
            throw DiTError(file: file, field: "norm_elementwise_affine", "expected false (adaLN-Zero's LayerNorms have no affine), found true")
        }
        let heads = try f.int("num_attention_heads", default: 16), headDim = try f.int("attention_head_dim", default: 72)
        let limit = DiTConfig.limits.hiddenSize
        guard (1...limit).contains(heads), (1...limit).contains(headDim), heads * headDim <= limit else {
            throw DiTError(file: file, field: "num_attention_heads", "expected num_attention_heads × attention_head_dim in 1…\(limit), found \(heads) × \(headDim)")
        }
        let inC = try f.int("in_channels", default: 4), outC = try f.int("out_channels", default: inC, nullable: true)   // Optional[int] = None: in_channels
        guard outC == inC || outC == 2 * inC else {
            throw DiTError(file: file, field: "out_channels", "expected in_channels \(inC) or 2 × in_channels \(2 * inC) (learned σ), found \(outC)")
        }
        guard f.root["num_embeds_ada_norm"].map({ if case .null = $0 { return false }; return true }) ?? true else {
            throw DiTError(file: file, field: "num_embeds_ada_norm", "expected the number of classes, found null")
        }
        guard let eps = try f.double("norm_eps", default: 1e-5), eps > 0, Float(eps).isNormal else {
            throw DiTError(file: file, field: "norm_eps", "expected a positive number")
        }
        var c = DiTConfig(inputSize: try f.int("sample_size", default: 32), patchSize: try f.int("patch_size", default: 2),
                          inChannels: inC, hiddenSize: heads * headDim, depth: try f.int("num_layers", default: 28),
                          numHeads: heads, mlpRatio: 4, numClasses: try f.int("num_embeds_ada_norm", default: 1000),
                          learnSigma: outC == 2 * inC, classNames: classNames)
        c.format = .diffusers
        c.mlpNormEps = Float(eps)
        return c
    }

    /// id2label of a pipeline's model_index.json as class names (nil when it has none).
    public static func classNames(modelIndex path: String) throws -> [String]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let f = try ConfigFields.load(path, "the pipeline's model_index.json")
        guard let map = f.root["id2label"], !{ if case .null = map { return true }; return false }() else { return nil }
        guard let o = map.object else { throw DiTError(file: path, field: "id2label", "expected an object {\"0\": name, …}") }
        return try (0..<o.count).map { i in
            guard let name = o["\(i)"]?.string else {
                throw DiTError(file: path, field: "id2label", "expected names for the keys \"0\"…\"\(o.count - 1)\", \"\(i)\" is missing or not a string")
            }
            return name
        }
    }
}

extension DiTWeights {
    /// Reads a DiTTransformer2DModel state dict through DiffusersDiT.keyTable, as strictly as
    /// the official reader: every diffusers key present with its shape, every key used.
    public init(diffusers c: DiTConfig, store: SafeTensorsStore, file: String) throws {
        var used = Set<String>()
        try self.init(config: c) { key, shape in
            guard let names = DiffusersDiT.diffusersKeys(key) else { return nil }   // pos_embed: computed
            let rows = shape[0] / names.count, part = [rows] + shape.dropFirst()
            var values: [Float] = [], found: [Int] = []
            for name in names {
                guard let info = store.tensors[name] else {
                    throw DiTError(file: file, field: name, "missing; expected a tensor of shape \(part) (\(key))")
                }
                guard info.shape == part || (names.count == 1 && DiTWeights.withoutNullRow(key, info.shape, c)) else {
                    throw DiTError(file: info.file, field: name, "expected shape \(part), found \(info.shape)")
                }
                let v = store.floats(name)
                if let bad = v.firstIndex(where: { !$0.isFinite }) {
                    throw DiTError(file: info.file, field: name, "expected finite values, found \(v[bad]) at index \(bad)")
                }
                used.insert(name); values += v
                found = found.isEmpty ? info.shape : [found[0] + info.shape[0]] + found.dropFirst()
            }
            return (found, values)
        }
        unusedKeys = store.tensors.keys.filter { !used.contains($0) }.sorted()
    }
}
