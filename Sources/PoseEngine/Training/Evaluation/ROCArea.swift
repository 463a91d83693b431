/// Area under the ROC curve of a score that should rank positives above
/// negatives: the probability that a random positive outscores a random
/// negative, ties counting one half (the Mann-Whitney U statistic / (P N)).
public enum ROCArea {
    /// nil when either side is empty (the area is undefined).
    public static func area(positives: [Float], negatives: [Float]) -> Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        // Rank all scores once; tied scores share their mean rank.
        let scored = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var positiveRankSum: Double = 0
        var start = 0
        while start < scored.count {
            var end = start
            while end + 1 < scored.count && scored[end + 1].0 == scored[start].0 { end += 1 }
            let meanRank = Double(start + end) / 2 + 1
            for k in start...end where scored[k].1 { positiveRankSum += meanRank }
            start = end + 1
        }
        let (p, n) = (Double(positives.count), Double(negatives.count))
        return (positiveRankSum - p * (p + 1) / 2) / (p * n)
    }
}
