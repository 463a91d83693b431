import Foundation

/// What Foundation's decoding errors say, in words a person editing the file follows: the key
/// as the file spells it, and what it should hold.
extension DecodingError {
    /// The problem as config.json, session and theme files all word it (`ConfigFileError.Kind`):
    /// "'colors.text.fg' should be an integer", "the required key 'colors.text.bg' is missing".
    public var problem: ConfigFileError.Kind {
        switch self {
        case .keyNotFound(let key, let context):
            return .missingKey(path: Self.keyPath(context.codingPath + [key]))
        case .typeMismatch(let type, let context):
            return .wrongType(path: Self.keyPath(context.codingPath), expected: Self.typeDescription(type))
        case .valueNotFound(let type, let context):
            return .wrongType(path: Self.keyPath(context.codingPath), expected: "\(Self.typeDescription(type)), not null")
        case .dataCorrupted(let context):
            return .invalidValue(path: Self.keyPath(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .invalidValue(path: "(unknown)", reason: "\(self)")
        }
    }

    /// `down_block_types[1]` style paths.
    static func keyPath(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(top level)" : text
    }

    static func typeDescription(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int32.Type, is Int64.Type: "an integer"
        case is Float.Type, is Double.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is [Any].Type: "a list"
        case is [String: Any].Type: "an object"
        default: "of type \(type)"
        }
    }
}
