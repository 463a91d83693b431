/// How the image pane draws pictures.
public enum GraphicsMode: Sendable, Equatable, CustomStringConvertible {
    /// Sixel graphics with the terminal's cell size in pixels.
    case sixel(cellWidth: Int, cellHeight: Int)
    /// Unicode half blocks, two pixels per cell, in 24-bit colour or the xterm 256-colour palette.
    case blocks(trueColor: Bool)

    public var description: String {
        switch self {
        case .sixel: "sixel"
        case .blocks(let trueColor): trueColor ? "blocks 24-bit" : "blocks 256"
        }
    }

    /// What `--graphics` asks for.
    public enum Choice: String, Sendable, CaseIterable {
        case sixel, blocks, auto
    }

    /// The mode for `choice` in a terminal described by `probe` and `environment`: sixel only
    /// when asked for, or when the terminal says it has it outside tmux (tmux 3.3 has none).
    public static func choose(_ choice: Choice, probe: TerminalProbe.Reply?, environment: [String: String]) -> GraphicsMode {
        let trueColor = ["truecolor", "24bit"].contains(environment["COLORTERM"]?.lowercased() ?? "")
        let cell = probe?.cellSize ?? TerminalProbe.defaultCellSize
        switch choice {
        case .sixel: return .sixel(cellWidth: cell.width, cellHeight: cell.height)
        case .blocks: return .blocks(trueColor: trueColor)
        case .auto:
            if environment["TMUX"] == nil, probe?.hasSixel == true {
                return .sixel(cellWidth: cell.width, cellHeight: cell.height)
            }
            return .blocks(trueColor: trueColor)
        }
    }
}
