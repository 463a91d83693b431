/// What the `posestudio studio` command line chooses.
public struct StudioOptions: Sendable {
    public var sessionPath: String?
    public var graphics: GraphicsMode.Choice
    /// A theme name from Themes/, a .toml file, or `automaticTheme`.
    public var themeName: String

    /// The theme name that picks "light" on a terminal that reports a light background, else "default".
    public static let automaticTheme = "auto"

    public init(sessionPath: String?, graphics: GraphicsMode.Choice, themeName: String) {
        (self.sessionPath, self.graphics, self.themeName) = (sessionPath, graphics, themeName)
    }
}
