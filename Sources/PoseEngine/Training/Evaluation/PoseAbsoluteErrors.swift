import Foundation

/// Mean absolute error of predicted poses against the truth, per quantity, in
/// DESIGN units (degrees, image fractions, head height / image height).
public struct PoseAbsoluteErrors: Sendable {
    private var sums = [Double](repeating: 0, count: PoseValues.count)
    public private(set) var count = 0

    public init() {}

    public mutating func add(predicted: [PoseValues], truth: [PoseValues]) {
        precondition(predicted.count == truth.count, "one truth per prediction")
        for (p, t) in zip(predicted, truth) {
            for q in 0..<PoseValues.count { sums[q] += Double(abs(p.array[q] - t.array[q])) }
            count += 1
        }
    }

    /// The mean error of each quantity (zeros before anything was added).
    public var mean: PoseValues { PoseValues(array: sums.map { Float($0 / Double(max(count, 1))) }) }

    /// "pitch 1.23 deg, yaw ..., x 0.012, y ..., scale ..."
    public var summary: String {
        let m = mean
        return String(format: "pitch %.2f deg, yaw %.2f deg, x %.4f, y %.4f, scale %.4f", m.pitch, m.yaw, m.x, m.y, m.scale)
    }
}
