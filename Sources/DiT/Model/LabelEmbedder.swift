// LabelEmbedder (models.py): y -> a row of the embedding table, added to the timestep
// embedding to make the conditioning c = t_embedder(t) + y_embedder(y).

/// LabelEmbedder (models.py): a table of num_classes (+ 1 null) rows of D; at inference no
/// label is dropped, so it is a row lookup.
enum LabelEmbedder {
    /// s.c (N, D) += y_embedder(y); row num_classes is the null class of guidance.
    static func add(_ y: [Int], _ e: ConditionEmbedderWeights, _ s: RunState, _ c: DiTConfig) {
        let D = c.hiddenSize
        for (n, label) in y.enumerated() {
            let row = self.row(label, e, D)
            for i in 0..<D { s.c.data[n * D + i] += row[i] }
        }
    }

    /// y_emb of one label: its row (D) of the table.
    static func row(_ label: Int, _ e: ConditionEmbedderWeights, _ D: Int) -> UnsafePointer<Float> {
        UnsafePointer(e.labelTable.data + label * D)
    }
}
