// Every activation buffer of one forward pass, built once per batch size (llama2.c's RunState):
// forward() allocates nothing. Probe buffers exist only when a probe asks for them.

public struct ProbeRequest: Equatable, Sendable {
    public var attentionBlocks: Set<Int> = []   // blocks whose softmax probabilities are kept
    public var modulation = false               // the adaLN vectors of every block (six, or four for adaLN)
    public var tokenNorms = false               // ‖x‖ of every token after every block
    public init(attentionBlocks: Set<Int> = [], modulation: Bool = false, tokenNorms: Bool = false) {
        self.attentionBlocks = attentionBlocks; self.modulation = modulation; self.tokenNorms = tokenNorms
    }
    public static let none = ProbeRequest()
    public static func all(depth: Int) -> ProbeRequest {
        ProbeRequest(attentionBlocks: Set(0..<depth), modulation: true, tokenNorms: true)
    }
}

/// What the probes recorded in the last forward pass.
public final class Probes {
    public var attention: [Int: Tensor] = [:]   // block -> (N, heads, L, L) softmax probabilities; L = T, or T + 2
                                                // in-context (tokens 0 and 1 are t and y, then the patches)
    public var crossAttention: [Int: Tensor] = [:]  // cross-attention design: block -> (N, heads, T, 2) weights of every patch on [t, y]
    public var modulation: [Tensor] = []        // per block (N, kD) in Conditioning.modulationChunks order: adaLN-Zero
                                                // shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp; adaLN without the gates
    public var tokenNorms: [Tensor] = []        // per block (N, T), image tokens only

    /// Sample `n`'s attention among the patches in block `b`: (heads, T, T). In-context, the rows and
    /// columns of the two conditioning tokens are left out (so rows sum to 1 minus their share).
    public func patchAttention(block b: Int, sample n: Int = 0, _ c: DiTConfig) -> [Float]? {
        guard let a = attention[b] else { return nil }
        let H = c.numHeads, T = c.tokenCount, L = c.sequenceLength, skip = L - T
        if skip == 0 { return Array(UnsafeBufferPointer(start: a.data + n * H * T * T, count: H * T * T)) }
        var out = [Float](repeating: 0, count: H * T * T)
        for h in 0..<H {
            for i in 0..<T {
                let row = a.data + ((n * H + h) * L + skip + i) * L + skip
                for j in 0..<T { out[(h * T + i) * T + j] = row[j] }
            }
        }
        return out
    }

    /// Sample `n`'s weights of every patch on [t, y] in block `b`: (heads, T, 2). Cross-attention:
    /// its softmax over the two; in-context: the self-attention columns of the t and y tokens. Nil
    /// for the adaLN designs, which do not attend to the condition.
    public func conditioningAttention(block b: Int, sample n: Int = 0, _ c: DiTConfig) -> [Float]? {
        let H = c.numHeads, T = c.tokenCount, L = c.sequenceLength
        if let x = crossAttention[b] {
            return Array(UnsafeBufferPointer(start: x.data + n * H * T * 2, count: H * T * 2))
        }
        guard c.conditioning == .inContext, let a = attention[b] else { return nil }
        var out = [Float](repeating: 0, count: H * T * 2)
        for h in 0..<H {
            for i in 0..<T {
                let row = a.data + ((n * H + h) * L + 2 + i) * L
                out[(h * T + i) * 2] = row[0]
                out[(h * T + i) * 2 + 1] = row[1]
            }
        }
        return out
    }
}

final class RunState {
    let n: Int
    let patches: Tensor      // (N, T, C·p·p)   patchified input
    let x: Tensor            // (N, L, D)       residual stream; L = T, or T + 2 in-context ([t, y, patches])
    let tFreq: Tensor        // (N, 256)        timestep sinusoid
    let tHidden: Tensor      // (N, D)          t_embedder hidden (SiLU applied in place)
    let c: Tensor            // (N, D)          conditioning c = t_emb + y_emb
    let cond: Tensor         // (N, 2, D)       [t_emb, y_emb]: cross-attention's keys/values, in-context's tokens
    let siluC: Tensor        // (N, D)          SiLU(c), input of every adaLN_modulation
    let mod: Tensor          // (N, depth, kD)  every block's modulation (k = 6 adaLN-Zero, 4 adaLN): block i at column i·kD
    let h: Tensor            // (N, L, D)       (modulated) LayerNorm output
    let qkv: Tensor          // (N, L, 3D)
    let attentionScratch: Tensor  // (cores, L·L + packed k, v)  per-core softmax probabilities (Attention)
    let attnOut: Tensor      // (N, L, D)       heads concatenated
    let branch: Tensor       // (N, L, D)       attn.proj / mlp.fc2 output before the gate
    let mlpHidden: Tensor    // (N, L, H)
    let crossQ: Tensor       // (N, T, D)       cross_attn.q
    let crossKV: Tensor      // (N, 2, 2D)      cross_attn.kv of [t_emb, y_emb]: keys, then values
    let crossScores: Tensor  // (N, heads, T, 2) cross-attention probabilities
    let finalMod: Tensor     // (N, 2D)         final_layer shift, scale
    let finalOut: Tensor     // (N, T, p·p·outC)
    let output: Tensor       // (N, outC, I, I)
    let probes: Probes

    init(config c: DiTConfig, batch n: Int, probes request: ProbeRequest) {
        let T = c.tokenCount, L = c.sequenceLength, D = c.hiddenSize, design = c.conditioning
        let cross = design == .crossAttention
        self.n = n
        probes = Probes()
        patches = Tensor([n, T, c.patchDim])
        x = Tensor([n, L, D])
        tFreq = Tensor([n, DiTConfig.frequencyEmbeddingSize])
        tHidden = Tensor([n, D])
        self.c = Tensor([n, D])
        cond = Tensor([n, 2, D])
        siluC = Tensor([n, D])
        mod = Tensor([n, c.depth, max(1, design.modulationVectors) * D])
        h = Tensor([n, L, D])
        qkv = Tensor([n, L, 3 * D])
        attentionScratch = Tensor([Parallel.cores, Attention.scratchCount(tokens: L, headDim: D / c.numHeads)])
        attnOut = Tensor([n, L, D])
        branch = Tensor([n, L, D])
        mlpHidden = Tensor([n, L, c.mlpHidden])
        crossQ = Tensor(cross ? [n, T, D] : [0])
        crossKV = Tensor(cross ? [n, 2, 2 * D] : [0])
        crossScores = Tensor(cross ? [n, c.numHeads, T, 2] : [0])
        finalMod = Tensor([n, 2 * D])
        finalOut = Tensor([n, T, c.finalDim])
        output = Tensor([n, c.outChannels, c.inputSize, c.inputSize])
        for b in request.attentionBlocks where b >= 0 && b < c.depth {
            probes.attention[b] = Tensor([n, c.numHeads, L, L])
            if cross { probes.crossAttention[b] = Tensor([n, c.numHeads, T, 2]) }
        }
        if request.modulation && design.modulationVectors > 0 {
            probes.modulation = (0..<c.depth).map { _ in Tensor([n, design.modulationVectors * D]) }
        }
        if request.tokenNorms { probes.tokenNorms = (0..<c.depth).map { _ in Tensor([n, T]) } }
    }

    /// Samples `r` of `full` as a batch of their own, every buffer and probe a view into full's
    /// (so a forward over each share writes the whole batch's results in place), with core
    /// `core`'s row of the attention scratch.
    init(share full: RunState, samples r: Range<Int>, core: Int) {
        func part(_ t: Tensor) -> Tensor {
            guard t.count > 0 else { return t }  // a design's unused buffer
            let per = t.count / full.n
            return Tensor(view: t, offset: r.lowerBound * per, shape: [r.count] + t.shape.dropFirst())
        }
        n = r.count
        patches = part(full.patches); x = part(full.x); tFreq = part(full.tFreq); tHidden = part(full.tHidden)
        c = part(full.c); cond = part(full.cond); siluC = part(full.siluC); mod = part(full.mod); h = part(full.h)
        qkv = part(full.qkv); attnOut = part(full.attnOut); branch = part(full.branch); mlpHidden = part(full.mlpHidden)
        crossQ = part(full.crossQ); crossKV = part(full.crossKV); crossScores = part(full.crossScores)
        finalMod = part(full.finalMod); finalOut = part(full.finalOut); output = part(full.output)
        let per = full.attentionScratch.count / full.attentionScratch.shape[0]
        attentionScratch = Tensor(view: full.attentionScratch, offset: core * per, shape: [1, per])
        probes = Probes()
        probes.attention = full.probes.attention.mapValues(part)
        probes.crossAttention = full.probes.crossAttention.mapValues(part)
        probes.modulation = full.probes.modulation.map(part)
        probes.tokenNorms = full.probes.tokenNorms.map(part)
    }
}
