/// Bounds a config must keep, so that a typo (a digit too many) is refused by name instead of
/// asking for hundreds of gigabytes when the model is built.
public enum ModelConfigLimits {
    /// Channels of any block; Stable Diffusion's widest has 1280. A 3x3 convolution this wide
    /// already holds 2.4 GB of weights.
    public static let maximumChannels = 8192

    /// The widths of a config past `maximumChannels`: each block by name, then the config's other
    /// channel counts (`others`, called `names` in the message) together.
    static func problems(blockOutChannels: [Int], others: [Int], named names: String) -> [String] {
        var problems = blockOutChannels.filter { $0 > maximumChannels }
            .map { "block_out_channels \($0) is more than \(maximumChannels)" }
        if others.contains(where: { $0 > maximumChannels }) { problems.append("\(names) must each be at most \(maximumChannels)") }
        return problems
    }
}

/// A model config that describes something this engine cannot build.
public enum ModelConfigError: Error, CustomStringConvertible, Equatable {
    case unsupported(model: String, problems: [String])

    public var description: String {
        switch self {
        case .unsupported(let model, let problems):
            return "\(model) config cannot be built: " + problems.joined(separator: "; ")
        }
    }
}
