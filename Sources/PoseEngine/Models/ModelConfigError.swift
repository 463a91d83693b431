/// Bounds a config must keep, so that a typo (a digit too many) is refused by name instead of
/// asking for hundreds of gigabytes when the model is built.
public enum ModelConfigLimits {
    /// Channels of any block; Stable Diffusion's widest has 1280. A 3x3 convolution this wide
    /// already holds 2.4 GB of weights.
    public static let maximumChannels = 8192
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
