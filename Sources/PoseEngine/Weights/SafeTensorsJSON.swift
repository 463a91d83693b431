/// A parsed safetensors header value.
///
/// Objects keep their members in file order, duplicates included, because
/// duplicate names must be detected rather than silently collapsed as
/// dictionary-based JSON parsers do. Numbers keep their literal text so that
/// integers are read exactly (no trip through Double).
enum SafeTensorsJSON {
    case object([(key: String, value: SafeTensorsJSON)])
    case array([SafeTensorsJSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// The value as an exact 64-bit integer, if it is an integer literal that fits.
    var integer: Int? {
        guard case .number(let text) = self else { return nil }
        return Int(text)
    }

    /// A short name of the value's JSON type, for messages.
    var typeName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
