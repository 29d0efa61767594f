// The lesson in English. {placeholders} are filled from the live model (LessonBook.facts).

extension LessonBook {
    static let english: [LessonText] = [
        LessonText(
            title: "Latent diffusion",
            body: """
            A diffusion model learns to undo noise. Sampling starts from pure Gaussian noise x_T and removes a little of it at every step until an image x_0 is left. At each step the network answers one question: given the noisy x_t and the time t, which noise ε was added?

            Running that network on full-size pixels is expensive, so DiT works in a latent space (latent diffusion). A pretrained VAE encoder turns a 256×256×3 image ({paperPixels} numbers) into a {latentSide}×{latentSide}×4 latent ({paperLatent} numbers, {ratio}× fewer: the VAE downsamples by {vae}). The DiT is trained and sampled on latents only; the VAE decoder turns the final latent back into pixels.

            Here we skip the VAE: Fashion-MNIST images of {I}×{I} pixels with {C} channel are already as small as a latent. For the DiT it is the same problem: a small I×I×C array in, the noise out. Only I and C differ ({I}×{I}×{C} here, 32×32×4 in the paper).

            The noise goes on in closed form: x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε, with ᾱ_t falling from 1 to almost 0 over the 1000 timesteps. The Forward pane (6) does this to real Fashion-MNIST test images at any t.

            On the right, the live sampler: x_t at step k and its current guess of the clean image, x̂0.
            """,
            tryIt: "Forward pane: → ← . , ↑ ↓ move t over 0…999, c i pick a real image, s another ε; 1 is the sampler."),
        LessonText(
            title: "Patchify",
            body: """
            DiT's first layer, patchify, cuts the I×I×C input into p×p patches. Each patch (C·p·p = {patchDim} numbers here) is flattened and mapped by one linear layer to a vector of size D = {D}: a token. The image becomes a sequence of T = (I/p)² tokens, here ({I}/{p})² = {T}.

            The patch size p is the main cost knob. Halving p quadruples T, and with it the Gflops, since every layer works on every token (attention even on every pair). The parameters barely change: only the patch embedding and the final layer depend on p, while the position table grows with T.

            The paper uses p = 2, 4 and 8. On the right, the current image cut three ways, and the cost of each, computed for this model's width and depth.
            """,
            tryIt: "Patches pane: p cycles the grid's patch size, hjkl move the patch, i picks the image."),
        LessonText(
            title: "Position embeddings",
            body: """
            A transformer sees a set of tokens: by itself it cannot tell where a patch came from. DiT adds a position embedding to every token right after patchify. It is not learned: it is the fixed 2-D sine-cosine table of ViT and MAE.

            For the token in row i, column j, the first D/2 dimensions encode j and the last D/2 encode i, each as sines and cosines at frequencies ω_k = 1/10000^(k/(D/4)).

            On the right, the table as an image: one row per token (T = {T}), one column per dimension (D = {D}), computed by the model's own PosEmbed code. Low dimensions change fast from token to token, high ones slowly. Below it, how similar every token's embedding is to that of the token under the cursor: neighbours look alike, so the model can learn what is near what.
            """,
            tryIt: "Patches pane: hjkl move the cursor; the token index is row·(I/p) + col."),
        LessonText(
            title: "Conditioning on t and class",
            body: """
            Besides x_t the model is told the timestep t and the class y. t goes through a sinusoidal embedding and an MLP, y through an embedding table. The paper compares four ways to feed them in:

            • In-context: t and y become two extra tokens, like ViT's cls token, dropped at the end. Negligible extra Gflops.
            • Cross-attention: every block gets a cross-attention layer that looks at the t and y embeddings. The most expensive: about 15 % more Gflops. (The boxes give each design's Gflops for DiT-XL/2, as in the paper's comparison, from this tool's cost model, which lands 0.04 % above the paper: 118.7 for adaLN-Zero where Table 4 says 118.64 and Fig. 5 118.6.)
            • adaLN: LayerNorm's scale γ and shift β are regressed from c = t_emb + y_emb, the same for every token. The least compute.
            • adaLN-Zero: also regress gates α that scale each residual branch, and initialise that regression to zero. Every block then starts as the identity, x + 0·f(x) = x. In the paper (DiT-XL/2 on ImageNet) it trains best: the lowest FID of the four at every stage of training.

            On the right, the four designs, each as a small DiT trained alike on Fashion-MNIST (training/findings.py), sampling live beside its diagram on this seed and class; the live gates α of this model at this step, block by block; and the measured Fig. 5: FID against training steps for the four.{designFindings}

            Which blocks matter early, which late? Because a block's gates α scale everything it adds, α = 0 switches it off exactly. In the adaLN-Zero pane (t, then H) the explorer does that for every block, from a few start steps on, and measures how much the final sample changes, ‖Δx0‖, in the background. X switches the selected block off yourself: the trajectory branches there, and the Denoising pane shows x̂0 with and without it.{mapFinding}
            """,
            tryIt: "adaLN-Zero pane: ] [ block, c class, → t, H which blocks matter when, X block off."),
        LessonText(
            title: "The transformer block and self-attention",
            body: """
            Each DiT block is a standard transformer block: multi-head self-attention, then an MLP of hidden size {mlp}, each added to the residual stream through adaLN-Zero. This model has {depth} blocks of width D = {D} with {heads} heads.

            In self-attention every token makes a query q, a key k and a value v. Token i reads token j with weight softmax(q_i·k_j / √d) over j. That is how a patch learns what the rest of the image is doing, and why attention grows with T²: {T} tokens make {T2} pairs per head.

            On the right, live: where the patch under the cursor looks, in one block and head, at the current step.
            """,
            tryIt: "Attention pane: hjkl move the query patch, ] [ block, } { head, a mean / rollout."),
        LessonText(
            title: "Linear decoder and unpatchify",
            body: """
            After the last block, a final adaLN LayerNorm and one linear layer decode every token into p·p·2C numbers ({finalDim} here). Why 2C? The model predicts, for every pixel, the noise ε (C channels) and a diagonal covariance Σ (C more channels), as in Improved DDPM.

            Unpatchify puts the {T} patches back in raster order into {outC}×{I}×{I}: token n goes to row n div (I/p), column n mod (I/p). The first C channels are ε̂; from it the sampler gets x̂0 = (x_t − √(1−ᾱ)·ε̂) / √ᾱ.

            On the right: ε̂ of this step with the token that produced each patch, and the x̂0 it implies.
            """,
            tryIt: "Patches pane with ε̂ under the grid: i switches the image, hjkl show each patch's numbers."),
        LessonText(
            title: "Sampling: DDPM, DDIM, faster solvers and guidance",
            body: """
            Training adds noise at one of 1000 timesteps; sampling walks back. DDPM (ancestral sampling) takes the model's mean and variance at each step and adds fresh noise, so it needs many steps. DDIM uses the same trained model with a deterministic update (η = 0), so far fewer steps work: the 1000 timesteps are respaced to K, here {K}.

            Classifier-free guidance: the class is also dropped during training (the null class ∅). When sampling, both are run and combined: ε = ε_∅ + s·(ε_y − ε_∅). s = 1 means no guidance; s > 1 trades diversity for samples that look more like the class. The paper's best FID, 2.27 on ImageNet 256×256, is DiT-XL/2 with s = 1.5.

            Faster solvers. Deterministic sampling follows an ODE (the probability-flow ODE) from x_T to x_0, and DDIM is its first-order step. Higher-order solvers follow it with fewer network evaluations (NFE). DPM-Solver++(2M) reuses the previous step's x̂0 for a second-order step at no extra cost; Heun evaluates twice per step (2K − 1 NFE); Euler is the first-order step in the noise level σ = √((1−ᾱ)/ᾱ). Karras et al.'s σ spacing (K) puts more steps where the noise is low. All three compute exactly what Hugging Face diffusers' schedulers compute. On a pixel-space model one detail matters: DDIM clips x̂0 to [−1, 1] at every step, the diffusers solvers do not unless told (DPM-Solver++'s thresholding, --thresholding). Measured on the shipped DiT-S/4 (1,000 samples, CFG 4, README), DDIM-50 scores FID 106.4; DPM-Solver++ with thresholding 108.0 at 10 NFE (+1.5 %) and 108.6 at 15, so 10 network evaluations do the work of 50. Heun, on its default linspace σ, needs about 49 NFE before it matches the others, and about 19 with Karras σ (K): its first step down from σ ≈ 157 is too big for its correction.

            Guidance over time. The guidance term s·(ε_y − ε_∅) does not help equally at every step. Kynkäänniemi et al. (2024) find it harmful at high t, where it pushes every sample toward a few typical layouts and costs diversity, and largely unnecessary at low t, where the image is nearly settled and guidance changes little; so they guide only in a middle interval of t (t keys); a ramp (u) raises s from 1 at t = 999 to s at t = 0. G shows ε_y, ε_∅ and the term at step k, and the term's size over the trajectory.

            The sampler need not start from pure noise: SDEdit noises a real image to step k and samples from there. Late steps keep the image; early ones keep only its rough shape, and another class can take over. The Forward pane (6) runs it: r samples from the current x_t, y picks the class.

            On the right, the live sampler: x_t, ε̂ and x̂0 at step k, and the trajectory.
            """,
            tryIt: "Denoising pane: m M sampler, K Karras σ, t u guidance interval and ramp, G guidance parts, n N steps, + - CFG, space plays, b compares; 6 r: SDEdit from a real image."),
        LessonText(
            title: "Scaling: model size and patch size",
            body: """
            The paper's main result: DiT quality follows compute. It trains four sizes, S, B, L and XL (depth 12 to 28, width 384 to 1152), each with p = 8, 4 and 2, and finds that FID-50K improves steadily as Gflops grow, whether they come from a bigger model or from smaller patches (more tokens).

            Parameters alone do not decide it: DiT-XL/8 has far more parameters than DiT-B/2, yet fewer Gflops. The largest model, DiT-XL/2 (118.6 Gflops in the paper's Table 4), reaches FID 2.27 on ImageNet 256×256 with guidance.

            On the right, the Gflops of every configuration, computed for the paper's 32×32×4 latents next to the paper's Table 4, and this model ({model}: {params} parameters, {gflops} Gflops).

            Under them, the same question asked of this tool's own models: small adaLN-Zero DiTs of different width D, depth L and patch size p (not the paper's sizes), trained with one recipe to the same number of steps on Fashion-MNIST, and their FID at CFG 1 (the judge's features, as the paper's scaling plots), ordered by Gflops.{scalingFindings} The plots against Gflops and against training compute are in assets/experiments/scaling/.
            """,
            tryIt: "Calculator pane: ↑ ↓ pick a field (model, p, image size, conditioning…), ← → change it; T, parameters and Gflops of each part follow."),
        LessonText(
            title: "The training objective",
            body: """
            The model only ever learns to predict ε at a random t. Each training step takes a real image x_0, draws t uniformly from 0…999 and a noise ε, makes x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε in one go (no chain of steps), and asks the model for ε̂(x_t, t, y). The loss is the mean of (ε̂ − ε)² over the {C}×{I}×{I} numbers: terms["mse"] of DiT's training_losses (`dit loss` computes it). In 10 % of the steps y is replaced by the null class ∅, which is what classifier-free guidance needs later.

            The second C output channels, the covariance, are trained by the variational bound instead (with ε̂ held fixed), as in Improved DDPM; the Denoising pane shows them as v and σ.

            Where is that hard? At small t, x_t is almost x_0 and ε is a faint veil: predicting it exactly is hard, and the MSE is high. At large t, x_t is almost ε itself, and the MSE falls towards 0: little is left to learn there. The signal-to-noise ratio ᾱ/(1−ᾱ) says where between: the cosine schedule (Nichol & Dhariwal 2021) keeps more signal in the middle than the linear one these models use.

            On the right, live on a real test image: x_t, the ε̂ of its class and of ∅, the squared error, and MSE(t) over t for this image.
            """,
            tryIt: "Forward pane: → ← . , ↑ ↓ move t, c i pick an image, s another ε, r starts the sampler from x_t (SDEdit)."),
    ]

    /// Chapter 1 when the model is a latent one, as the paper's: its own VAE instead of "we skip the VAE".
    static let englishLatent = LessonText(
        title: "Latent diffusion",
        body: """
        A diffusion model learns to undo noise. Sampling starts from pure Gaussian noise x_T and removes a little of it at every step until an image x_0 is left. At each step the network answers one question: given the noisy x_t and the time t, which noise ε was added?

        Running that network on full-size pixels is expensive, so DiT works in a latent space (latent diffusion). A pretrained VAE encoder turns a 256×256×3 image ({paperPixels} numbers) into a {latentSide}×{latentSide}×4 latent ({paperLatent} numbers, {ratio}× fewer: the VAE downsamples by {vae}). The DiT is trained and sampled on latents only; the VAE decoder turns the final latent back into pixels.

        This model is a latent DiT, as the paper's: it samples {I}×{I}×{C} latents, and its own VAE ({vaeName}) decodes a latent into a {imageSide}×{imageSide}×{imageChannels} image ({f}× per side). The latents are scaled by the VAE's scaling_factor ({scale}) to about unit variance, so decoding divides it out first: x = decoder(z / {scale}). Latents are not pictures in [−1, 1]: x̂0 is not clipped here (clip_denoised=False, as the paper's sample.py).

        The noise goes on in closed form, on the latents: x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε, with ᾱ_t falling from 1 to almost 0 over the 1000 timesteps.

        On the right, the live sampler: x_t at step k and its guess x̂0, each of the {C} channels a small grey panel (−3…+3), and x̂0 through the decoder. Decoding costs seconds on a CPU, so it runs in the background: d decodes the step on screen, and steps {autoSteps} decode by themselves as they arrive.
        """,
        tryIt: "Denoising pane: → ← step, d decodes x̂0 of the step, z shows the decoded picture alone, / finds a class by name.")

    // Captions are written in English in the panes: nothing to translate.
    static let englishStrings = LessonStrings(
        lesson: "DiT lesson", keys: "← → chapters · t try it · f text ⇄ pane · g 日本語 · L explorer · ? help · q quit",
        tryIt: "Try it (t)", back: "L: back to lesson chapter {n}", first: "this is the first chapter",
        last: "this is the last chapter", narrow: "(a wider terminal shows the live pane here)", captions: [:])
}
