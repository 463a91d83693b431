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

/// Fixed-width text: cut, or padded with spaces on the side away from `alignment`.
func fit(_ text: String, _ width: Int, right: Bool = false) -> String {
    guard width > 0 else { return "" }
    if text.count >= width { return String(text.prefix(width)) }
    let pad = String(repeating: " ", count: width - text.count)
    return right ? pad + text : text + pad
}
