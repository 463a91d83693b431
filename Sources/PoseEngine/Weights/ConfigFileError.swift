/// Why a config.json could not be read, naming the file and, where there is
/// one, the key at fault.
public struct ConfigFileError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case unreadable(reason: String)
        case tooLarge(size: Int)
        case notJSON(reason: String)
        case missingKey(path: String)
        case wrongType(path: String, expected: String)
        case invalidValue(path: String, reason: String)
        /// A number that does not fit the type its key holds, and where it is.
        case unfitNumber(String, at: String)
        /// A key given twice in one object.
        case repeatedKey(path: String)
        /// Valid JSON nested deeper than the check for repeated keys follows, and where.
        case nestedTooDeep(levels: Int, at: String)
    }

    public let path: String
    public let kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var description: String {
        "\(path): \(kind.text)"
    }
}

extension ConfigFileError.Kind {
    /// The problem in words, without the file's name.
    public var text: String {
        switch self {
        case .unreadable(let reason):
            "cannot be read: \(reason)"
        case .tooLarge(let size):
            "is \(size) bytes; a config larger than \(ConfigFile.maximumSize) bytes is refused (is it really a config.json?)"
        case .notJSON(let reason):
            "is not valid JSON: \(reason)"
        case .nestedTooDeep(let levels, let place):
            "nests deeper than \(levels) levels at \(place), deeper than any PoseStudio file; remove what nests there"
        case .missingKey(let key):
            "the required key '\(key)' is missing"
        case .wrongType(let key, let expected):
            "'\(key)' should be \(expected)"
        case .invalidValue(let key, let reason):
            "'\(key)' has an invalid value: \(reason)"
        case .unfitNumber(let number, let place):
            "\(number) \(place) is not a number that key can hold "
                + "(seeds and counts are whole numbers, not negative; every number has a largest size)"
        case .repeatedKey(let key):
            "'\(key)' is given more than once; keep the one you mean"
        }
    }
}
