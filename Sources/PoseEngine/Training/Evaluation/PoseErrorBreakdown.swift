/// Pose errors over a set of renders, within each render style and within each head size, with
/// the median angle errors beside the means: a style that hides pose (pencil hatching, brush
/// strokes), or heads too small to show it, show up on their own lines instead of being averaged
/// away, and the medians tell a few large misses from errors spread over every render.
public struct PoseErrorBreakdown: Sendable {
    public private(set) var all = PoseAbsoluteErrors()
    public private(set) var byStyle: [RenderStyle: PoseAbsoluteErrors] = [:]
    public private(set) var bySize: [HeadSize: PoseAbsoluteErrors] = [:]
    private var pitchErrors: [Float] = []
    private var yawErrors: [Float] = []

    /// Head height over image height, in four bands over the world's 0.25...0.9: three 0.15 wide
    /// and the largest heads together (0.7 and over), where the error no longer falls with size.
    public enum HeadSize: Int, CaseIterable, Sendable {
        case small, medium, large, largest

        public init(scale: Float) {
            switch scale {
            case ..<0.4: self = .small
            case ..<0.55: self = .medium
            case ..<0.7: self = .large
            default: self = .largest
            }
        }

        public var label: String {
            switch self {
            case .small: return "heads under 0.4 of the height"
            case .medium: return "heads 0.4 to 0.55 of the height"
            case .large: return "heads 0.55 to 0.7 of the height"
            case .largest: return "heads 0.7 of the height and over"
            }
        }
    }

    public init() {}

    public mutating func add(predicted: [PoseValues], truth: [PoseValues], styles: [RenderStyle]) {
        precondition(styles.count == predicted.count, "one style per prediction")
        all.add(predicted: predicted, truth: truth)
        for (i, style) in styles.enumerated() {
            byStyle[style, default: PoseAbsoluteErrors()].add(predicted: [predicted[i]], truth: [truth[i]])
            bySize[HeadSize(scale: truth[i].scale), default: PoseAbsoluteErrors()].add(predicted: [predicted[i]], truth: [truth[i]])
            pitchErrors.append(abs(predicted[i].pitch - truth[i].pitch))
            yawErrors.append(abs(predicted[i].yaw - truth[i].yaw))
        }
    }

    public var count: Int { all.count }
    public var mean: PoseValues { all.mean }
    public var summary: String { all.summary }

    /// The median absolute pitch and yaw errors, in degrees.
    public var medianAngleErrors: (pitch: Float, yaw: Float) {
        (Self.median(pitchErrors), Self.median(yawErrors))
    }

    /// The styles that occurred, in RenderStyle's order, with their errors.
    public var styles: [(style: RenderStyle, errors: PoseAbsoluteErrors)] {
        RenderStyle.allCases.compactMap { style in byStyle[style].map { (style, $0) } }
    }

    /// The head sizes that occurred, smallest first, with their errors.
    public var sizes: [(size: HeadSize, errors: PoseAbsoluteErrors)] {
        HeadSize.allCases.compactMap { size in bySize[size].map { (size, $0) } }
    }

    private static func median(_ values: [Float]) -> Float {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
