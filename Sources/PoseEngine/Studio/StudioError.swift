/// What stops a render, said so that a user can fix it.
public enum StudioError: Error, Equatable, CustomStringConvertible {
    case missingModelFolder(path: String)
    case invalidSettings([String])
    case faceImageUnreadable(path: String, reason: String)
    /// The model folder's components were trained apart and do not fit together.
    case mismatchedComponents(path: String, problems: [String])
    /// The latent held NaN or infinity after this step (counted from 1).
    case notFinite(step: Int)

    public var description: String {
        switch self {
        case .missingModelFolder(let path):
            return "there is no model folder at \(path): " + DefaultModelLocation.howToName
        case .invalidSettings(let problems):
            return "invalid settings: " + problems.joined(separator: "; ")
        case .faceImageUnreadable(let path, let reason):
            return "cannot use face image \(path): \(reason)"
        case .mismatchedComponents(let path, let problems):
            return "the components in \(path) do not fit together: " + problems.joined(separator: "; ")
        case .notFinite(let step):
            return "the model's output is not finite (NaN or infinity) after step \(step): its weights or a config.json "
                + "make it diverge; check the model folder, or render with the default model"
        }
    }
}
