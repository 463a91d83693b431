/// A parsed JSON value (a safetensors header, or a config file checked for repeated keys).
///
/// Objects keep their members in file order, duplicates included, because
/// duplicate names must be detected rather than silently collapsed as
/// dictionary-based JSON parsers do. Numbers keep their literal text so that
/// integers are read exactly (no trip through Double).
enum OrderedJSON {
    case object([(key: String, value: OrderedJSON)])
    case array([OrderedJSON])
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

    /// The first key that appears twice in one object, spelt as `DecodingError.keyPath` spells
    /// paths (`targets.yaw`, `bookmarks[1].name`); nil when every object's keys are distinct.
    func firstRepeatedKey(at path: String = "") -> String? {
        switch self {
        case .object(let members):
            func place(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
            var seen = Set<String>()
            if let repeated = members.first(where: { !seen.insert($0.key).inserted }) { return place(repeated.key) }
            return members.lazy.compactMap { $0.value.firstRepeatedKey(at: place($0.key)) }.first
        case .array(let elements):
            return elements.indices.lazy.compactMap { elements[$0].firstRepeatedKey(at: "\(path)[\($0)]") }.first
        default:
            return nil
        }
    }
}
