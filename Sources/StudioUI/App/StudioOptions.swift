/// What the `posestudio studio` command line chooses.
public struct StudioOptions: Sendable {
    public var sessionPath: String?
    public var graphics: GraphicsMode.Choice
    public var themeName: String

    public init(sessionPath: String?, graphics: GraphicsMode.Choice, themeName: String) {
        (self.sessionPath, self.graphics, self.themeName) = (sessionPath, graphics, themeName)
    }
}
