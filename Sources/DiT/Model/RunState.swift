// Every activation buffer of one forward pass, built once per batch size (llama2.c's RunState):
// forward() allocates nothing. Probe buffers exist only when a probe asks for them.

public struct ProbeRequest: Equatable, Sendable {
    public var attentionBlocks: Set<Int> = []   // blocks whose softmax probabilities are kept
    public var modulation = false               // the six adaLN vectors of every block
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
    public var attention: [Int: Tensor] = [:]   // block -> (N, heads, T, T) softmax probabilities
    public var modulation: [Tensor] = []        // per block (N, 6D): shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp
    public var tokenNorms: [Tensor] = []        // per block (N, T)
}

final class RunState {
    let n: Int
    let patches: Tensor      // (N, T, C·p·p)   patchified input
    let x: Tensor            // (N, T, D)       residual stream
    let tFreq: Tensor        // (N, 256)        timestep sinusoid
    let tHidden: Tensor      // (N, D)          t_embedder hidden (SiLU applied in place)
    let c: Tensor            // (N, D)          conditioning c = t_emb + y_emb
    let siluC: Tensor        // (N, D)          SiLU(c), input of every adaLN_modulation
    let mod: Tensor          // (N, 6D)         this block's adaLN-Zero modulation
    let h: Tensor            // (N, T, D)       modulated LayerNorm output
    let qkv: Tensor          // (N, T, 3D)
    let scores: Tensor       // (N, heads, T, T) attention probabilities
    let attnOut: Tensor      // (N, T, D)       heads concatenated
    let branch: Tensor       // (N, T, D)       attn.proj / mlp.fc2 output before the gate
    let mlpHidden: Tensor    // (N, T, H)
    let finalMod: Tensor     // (N, 2D)         final_layer shift, scale
    let finalOut: Tensor     // (N, T, p·p·outC)
    let output: Tensor       // (N, outC, I, I)
    let probes = Probes()

    init(config c: DiTConfig, batch n: Int, probes request: ProbeRequest) {
        let T = c.tokenCount, D = c.hiddenSize
        self.n = n
        patches = Tensor([n, T, c.patchDim])
        x = Tensor([n, T, D])
        tFreq = Tensor([n, DiTConfig.frequencyEmbeddingSize])
        tHidden = Tensor([n, D])
        self.c = Tensor([n, D])
        siluC = Tensor([n, D])
        mod = Tensor([n, Modulation.count * D])
        h = Tensor([n, T, D])
        qkv = Tensor([n, T, 3 * D])
        scores = Tensor([n, c.numHeads, T, T])
        attnOut = Tensor([n, T, D])
        branch = Tensor([n, T, D])
        mlpHidden = Tensor([n, T, c.mlpHidden])
        finalMod = Tensor([n, 2 * D])
        finalOut = Tensor([n, T, c.finalDim])
        output = Tensor([n, c.outChannels, c.inputSize, c.inputSize])
        for b in request.attentionBlocks where b >= 0 && b < c.depth {
            probes.attention[b] = Tensor([n, c.numHeads, T, T])
        }
        if request.modulation { probes.modulation = (0..<c.depth).map { _ in Tensor([n, Modulation.count * D]) } }
        if request.tokenNorms { probes.tokenNorms = (0..<c.depth).map { _ in Tensor([n, T]) } }
    }
}
