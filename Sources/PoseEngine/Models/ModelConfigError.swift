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
