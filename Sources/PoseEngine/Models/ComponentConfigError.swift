/// A component folder's config.json that describes something this engine cannot build, named by
/// its path: a model folder has one config.json per component.
public struct ComponentConfigError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let problem: ModelConfigError

    public var description: String { "\(path): \(problem)" }
}
