/// The statistics the fidelity bench reports.
public enum FidelityStatistics {
    /// Spearman's rank correlation (average ranks for ties); 0 when either side is constant.
    public static func spearman(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "spearman needs paired values")
        let (ra, rb) = (ranks(a), ranks(b))
        let n = Float(a.count)
        let (ma, mb) = (ra.reduce(0, +) / n, rb.reduce(0, +) / n)
        var (covariance, va, vb): (Float, Float, Float) = (0, 0, 0)
        for i in 0..<a.count {
            covariance += (ra[i] - ma) * (rb[i] - mb)
            va += (ra[i] - ma) * (ra[i] - ma)
            vb += (rb[i] - mb) * (rb[i] - mb)
        }
        guard va > 0, vb > 0 else { return 0 }
        return covariance / (va * vb).squareRoot()
    }

    /// How many of `bins` equal bins over `range` hold at least one value.
    public static func binsFilled(_ values: [Float], range: ClosedRange<Float>, bins: Int) -> Int {
        let width = (range.upperBound - range.lowerBound) / Float(bins)
        let filled = Set(values.compactMap { v -> Int? in
            guard range.contains(v) else { return nil }
            return min(Int((v - range.lowerBound) / width), bins - 1)
        })
        return filled.count
    }

    /// The least-squares line through (x, y): y ≈ slope * x + intercept; nil with fewer than two
    /// distinct x.
    public static func linearFit(_ x: [Float], _ y: [Float]) -> (slope: Float, intercept: Float)? {
        precondition(x.count == y.count, "a fit needs paired values")
        guard !x.isEmpty else { return nil }
        let n = Double(x.count)
        let (mx, my) = (x.reduce(0.0) { $0 + Double($1) } / n, y.reduce(0.0) { $0 + Double($1) } / n)
        var (sxy, sxx) = (0.0, 0.0)
        for (a, b) in zip(x, y) {
            sxy += (Double(a) - mx) * (Double(b) - my)
            sxx += (Double(a) - mx) * (Double(a) - mx)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        return (Float(slope), Float(my - slope * mx))
    }

    /// Per pose quantity, the line through (target, reading): where readings land for a target.
    public static func landingLines(_ readings: [PoseValues], _ targets: [PoseValues]) -> [String: [String: Float]] {
        var lines: [String: [String: Float]] = [:]
        for (q, name) in PoseValues.names.enumerated() {
            guard let line = linearFit(targets.map { $0.array[q] }, readings.map { $0.array[q] }) else { continue }
            lines[name] = ["slope": line.slope, "intercept": line.intercept]
        }
        return lines
    }

    /// Mean absolute error per pose quantity.
    public static func meanAbsoluteError(_ predicted: [PoseValues], _ truth: [PoseValues]) -> PoseValues {
        var sums = [Float](repeating: 0, count: PoseValues.count)
        for (p, t) in zip(predicted, truth) { for q in 0..<PoseValues.count { sums[q] += abs(p.array[q] - t.array[q]) } }
        return PoseValues(array: sums.map { $0 / Float(max(predicted.count, 1)) })
    }

    /// The standard error of each quantity's mean absolute error over a grid whose cases come in
    /// consecutive groups of `groupSize` (the fidelity bench's seeds of one target): the standard
    /// deviation of the groups' mean errors over the square root of their number. Cases of one
    /// target share their pose, so they miss alike; the groups, not the cases, are what another
    /// grid would draw anew. nil with fewer than two whole groups (nothing to measure spread on).
    public static func standardErrorOfMeanAbsoluteError(_ predicted: [PoseValues], _ truth: [PoseValues],
                                                        groupSize: Int) -> PoseValues? {
        precondition(predicted.count == truth.count, "the standard error needs paired values")
        guard groupSize > 0 else { return nil }
        let groups = predicted.count / groupSize
        guard groups > 1 else { return nil }
        let means = (0..<groups).map { g in
            let range = (g * groupSize)..<((g + 1) * groupSize)
            return meanAbsoluteError(Array(predicted[range]), Array(truth[range])).array
        }
        return PoseValues(array: (0..<PoseValues.count).map { q in
            let mean = means.reduce(0) { $0 + $1[q] } / Float(groups)
            let variance = means.reduce(0) { $0 + ($1[q] - mean) * ($1[q] - mean) } / Float(groups - 1)
            return (variance / Float(groups)).squareRoot()
        })
    }

    private static func ranks(_ values: [Float]) -> [Float] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Float](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            for k in i...j { ranks[order[k]] = Float(i + j) / 2 }
            i = j + 1
        }
        return ranks
    }
}
