// The words of the predictions (Prediction.swift), per language. {placeholders} are the live
// numbers the question and its reveal name; the answers themselves are computed there.

struct PredictionText {
    struct Question {
        let question: String, reveal: String
        /// Lines in pairs: a question, then its reveal.
        static func pairs(_ text: String) -> [Question] {
            let lines = text.split(separator: "\n").map(String.init)
            return stride(from: 0, to: lines.count - 1, by: 2).map { Question(question: lines[$0], reveal: lines[$0 + 1]) }
        }
    }
    let questions: [Question]      // one per chapter, in order
    let predict: String, keys: String, right: String, wrong: String, skipped: String, already: String
    let tally: String, steps: String, same: String
    let pending: String, running: String, noJudge: String, undecided: String

    static func words(_ language: LessonLanguage) -> PredictionText { language == .en ? english : japanese }

    static let english = PredictionText(
        questions: Question.pairs("""
        a 256×256×3 image through the paper's VAE (8× down, 4 channels): how many times fewer numbers?
        {pixels} pixels → {latent} latent numbers: {r}× fewer.
        p {p} → {q}: how many tokens?
        T = (I/p)² = ({I}/{q})² = {Tq} (now {T}): the Gflops follow T.
        how many numbers does the position table hold?
        one D-vector per token: T·D = {T}·{D} = {n}, fixed sin-cos in DiT, not learned.
        which design costs most Gflops on this model's shape?
        the cost model: {costs} Gflops.
        how many attention weights does one head compute in one block?
        every token with every token: T² = {T2}; × {heads} heads × {depth} blocks = {all} a pass.
        how many numbers does the final layer output per token?
        p·p·out_channels = {p}·{p}·{outC} = {f} (ε̂, and σ's v when learned), not D = {D}.
        from which step on will the judge's class stay {class}?
        the judge strip of this trajectory: from step {k} on.
        which costs more Gflops: DiT-S/2 or DiT-B/4?
        the Calculator's cost model: S/2 {s2}, B/4 {b4} Gflops: four times the tokens outweigh twice the width.
        at t = 500, how much of x_t's variance is signal (ᾱ_t)?
        ᾱ_500 = {ab} ({pct} %) on the linear schedule: by mid-way the noise dominates.
        """),
        predict: "Predict:", keys: "a b c answers · s skips", right: "right", wrong: "not quite", skipped: "skipped",
        already: "answered already: the first answer counts", tally: "tally", steps: "steps", same: "about the same",
        pending: "no answer yet: {why}", running: "the trajectory is still running (see the judge strip)",
        noJudge: "the judge does not score this model", undecided: "the class never settled")

    static let japanese = PredictionText(
        questions: Question.pairs("""
        256×256×3 の画像を論文の VAE（8 分の 1、4 チャネル）に通すと、数は何分の 1 になる？
        画素 {pixels} 個 → 潜在 {latent} 個：{r} 分の 1。
        p を {p} → {q} にすると、トークンはいくつ？
        T = (I/p)² = ({I}/{q})² = {Tq}（今は {T}）。Gflops は T に従います。
        位置埋め込みの表には数がいくつある？
        トークンごとに D 次元：T·D = {T}·{D} = {n}。DiT では学習しない固定の sin-cos。
        このモデルの形で、一番 Gflops がかかる設計は？
        コストモデルでは {costs} Gflops。
        一つのブロックの一つのヘッドが計算する注意の重みはいくつ？
        全トークンの組：T² = {T2}。× {heads} ヘッド × {depth} ブロックで 1 回 {all}。
        最終層はトークンごとにいくつの数を出す？
        p·p·出力チャネル = {p}·{p}·{outC} = {f}（ε̂ と、学習するなら σ の v）。D = {D} ではない。
        判定器のクラスが {class} のまま変わらなくなるのは何ステップ目から？
        この軌跡の判定ストリップでは、ステップ {k} から。
        Gflops が多いのは DiT-S/2 と DiT-B/4 のどちら？
        計算機のコストモデル：S/2 {s2}、B/4 {b4} Gflops。4 倍のトークンが 2 倍の幅に勝ちます。
        t = 500 で、x_t の分散のうち信号（ᾱ_t）はどれくらい？
        線形スケジュールで ᾱ_500 = {ab}（{pct} %）。半ばで既にノイズが勝ります。
        """),
        predict: "予想：", keys: "a b c で答える・s で飛ばす", right: "正解", wrong: "惜しい", skipped: "飛ばした",
        already: "回答済み：最初の答えが数えられます", tally: "集計", steps: "ステップ", same: "ほぼ同じ",
        pending: "まだ答えがありません：{why}", running: "軌跡を計算中（判定ストリップを見てください）",
        noJudge: "判定器はこのモデルを採点しません", undecided: "クラスが定まりませんでした")
}
