/// What stops a render, said so that a user can fix it.
public enum StudioError: Error, Equatable, CustomStringConvertible {
    case missingModelFolder(path: String)
    case invalidSettings([String])
    case faceImageUnreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingModelFolder(let path):
            return "no model folder at \(path): train the default model (posestudio train ...) or pass --model DIR"
        case .invalidSettings(let problems):
            return "invalid settings: " + problems.joined(separator: "; ")
        case .faceImageUnreadable(let path, let reason):
            return "cannot use face image \(path): \(reason)"
        }
    }
}
