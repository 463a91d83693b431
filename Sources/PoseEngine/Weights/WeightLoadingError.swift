/// Why a weights file does not fit a module; lists every problem at once so
/// that one run shows all that needs fixing.
public struct WeightLoadingError: Error, Equatable, CustomStringConvertible {
    public struct ShapeMismatch: Equatable, Sendable {
        public let name: String
        public let expected: [Int]
        public let found: [Int]
    }

    /// The weights file as the caller named it.
    public let path: String
    /// Parameters of the module that the file lacks.
    public let missing: [String]
    /// Tensors in the file that the module has no parameter for (only an
    /// error when loading strictly).
    public let unexpected: [String]
    public let wrongShape: [ShapeMismatch]
    /// Tensors holding NaN or infinite values.
    public let nonFinite: [String]

    /// How many names of each kind the message spells out.
    static let namesShown = 5

    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty {
            parts.append("\(missing.count) missing (\(Self.list(missing)))")
        }
        if !unexpected.isEmpty {
            parts.append("\(unexpected.count) unexpected (\(Self.list(unexpected)))")
        }
        if !wrongShape.isEmpty {
            let shown = wrongShape.map { "\($0.name): expected \($0.expected), found \($0.found)" }
            parts.append("\(wrongShape.count) with the wrong shape (\(Self.list(shown)))")
        }
        if !nonFinite.isEmpty {
            parts.append("\(nonFinite.count) with NaN or infinite values (\(Self.list(nonFinite)))")
        }
        return "\(path): the weights do not fit the model: " + parts.joined(separator: "; ")
    }

    private static func list(_ items: [String]) -> String {
        let shown = items.prefix(namesShown).joined(separator: ", ")
        return items.count > namesShown ? "\(shown) and \(items.count - namesShown) more" : shown
    }
}
