/// Pose errors over a set of renders and within each render style: a style that
/// hides pose (pencil hatching, brush strokes) shows up on its own line instead
/// of being averaged away.
public struct StyledPoseErrors: Sendable {
    public private(set) var all = PoseAbsoluteErrors()
    public private(set) var byStyle: [RenderStyle: PoseAbsoluteErrors] = [:]

    public init() {}

    public mutating func add(predicted: [PoseValues], truth: [PoseValues], styles: [RenderStyle]) {
        precondition(styles.count == predicted.count, "one style per prediction")
        all.add(predicted: predicted, truth: truth)
        for (i, style) in styles.enumerated() {
            byStyle[style, default: PoseAbsoluteErrors()].add(predicted: [predicted[i]], truth: [truth[i]])
        }
    }

    public var count: Int { all.count }
    public var mean: PoseValues { all.mean }
    public var summary: String { all.summary }

    /// The styles that occurred, in RenderStyle's order, with their errors.
    public var styles: [(style: RenderStyle, errors: PoseAbsoluteErrors)] {
        RenderStyle.allCases.compactMap { style in byStyle[style].map { (style, $0) } }
    }
}
