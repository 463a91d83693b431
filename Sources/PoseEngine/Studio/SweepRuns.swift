/// One sweep run from several seeds (and faces): what was measured along each run, and the
/// figures over all of them, so a figure is not one seed's luck.
public struct SweepRuns: Sendable {
    public let sweep: Sweep
    /// One row per run, one measured value per frame.
    public var judged: [[Float]] = []

    public init(sweep: Sweep) { self.sweep = sweep }

    /// Equal bins over a range, to count how much of it the measured values reach.
    public struct Binning: Sendable {
        public var count: Int
        public var range: ClosedRange<Float>

        public init(count: Int, range: ClosedRange<Float>) { (self.count, self.range) = (count, range) }
    }

    /// "spearman": the mean over runs of the rank correlation between the sweep's values and the
    /// measured ones; "spearman_worst": the lowest of them; "sweeps": how many runs. With a
    /// binning, also how many of its bins the measured values reach: "bins_filled" (the mean over
    /// runs), "bins_filled_fewest" and "bins". Needs at least one run.
    public func figures(binning: Binning? = nil) -> [String: Float] {
        precondition(!judged.isEmpty, "SweepRuns.figures needs at least one run")
        let correlations = judged.map { FidelityStatistics.spearman(sweep.values, $0) }
        var figures: [String: Float] = ["spearman": correlations.mean, "spearman_worst": correlations.min() ?? 0,
                                        "sweeps": Float(judged.count)]
        if let binning {
            let filled = judged.map { Float(FidelityStatistics.binsFilled($0, range: binning.range, bins: binning.count)) }
            figures["bins_filled"] = filled.mean
            figures["bins_filled_fewest"] = filled.min() ?? 0
            figures["bins"] = Float(binning.count)
        }
        return figures
    }
}
