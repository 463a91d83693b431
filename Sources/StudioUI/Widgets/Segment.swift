/// A run of text in one theme role: widgets describe lines as segments, the view draws them.
public struct Segment: Sendable, Equatable {
    public var text: String
    public var role: Theme.Role

    public init(_ text: String, _ role: Theme.Role) {
        (self.text, self.role) = (text, role)
    }
}

extension Array where Element == Segment {
    /// The line's plain text.
    public var text: String { map(\.text).joined() }
}

/// Fixed-width text (in terminal cells) like `fit`, but a cut ends in "…" so it shows.
func ellipsized(_ text: String, _ width: Int) -> String {
    guard TerminalCells.width(text) > width, width > 1 else { return fit(text, width) }
    return fit(TerminalCells.prefix(text, cells: width - 1) + "…", width)
}

/// Fixed-width text (in terminal cells): cut, or padded with spaces on the side away from `alignment`.
func fit(_ text: String, _ width: Int, right: Bool = false) -> String {
    guard width > 0 else { return "" }
    // A wide character that would straddle the edge is dropped and its cell padded.
    let cut = TerminalCells.prefix(text, cells: width)
    let pad = String(repeating: " ", count: width - TerminalCells.width(cut))
    return right ? pad + cut : cut + pad
}
