import PoseEngine

/// One sweep run from several seeds (and faces): what was measured along each run, and the
/// bench's figures over all of them, so a figure is not one seed's luck.
struct SweepRuns {
    let sweep: Sweep
    /// One row per run, one measured value per frame.
    var judged: [[Float]] = []

    /// "spearman": the mean over runs of the rank correlation between the sweep's values and the
    /// measured ones; "spearman_worst": the lowest of them; "sweeps": how many runs. With
    /// `bins` equal bins over `range`, also how many bins the measured values reach:
    /// "bins_filled" (the mean over runs), "bins_filled_fewest" and "bins".
    func figures(bins: Int? = nil, range: ClosedRange<Float> = 0...1) -> [String: Float] {
        let correlations = judged.map { FidelityStatistics.spearman(sweep.values, $0) }
        var figures: [String: Float] = ["spearman": Self.mean(correlations), "spearman_worst": correlations.min() ?? .nan,
                                        "sweeps": Float(judged.count)]
        if let bins {
            let filled = judged.map { Float(FidelityStatistics.binsFilled($0, range: range, bins: bins)) }
            figures["bins_filled"] = Self.mean(filled)
            figures["bins_filled_fewest"] = filled.min() ?? 0
            figures["bins"] = Float(bins)
        }
        return figures
    }

    private static func mean(_ values: [Float]) -> Float {
        values.isEmpty ? .nan : values.reduce(0, +) / Float(values.count)
    }
}
