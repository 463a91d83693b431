import Foundation

/// Reading diffusers-style config.json files into `Decodable` types.
///
/// Types name their keys as the file does (through `CodingKeys`), so messages
/// point at the key a user sees in the file, e.g. `block_out_channels[2]`.
public enum ConfigFile {
    /// UTF-8's byte-order mark, which the decoder reads past.
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Real configs are a few kilobytes; anything past this is not one.
    public static let maximumSize = 1_000_000

    public static func decode<T: Decodable>(_ type: T.Type, from url: URL) throws(ConfigFileError) -> T {
        try decode(type, bytes: contents(of: url), path: url.path)
    }

    /// Decodes `bytes`, already read from `path` (which the messages name).
    public static func decode<T: Decodable>(_ type: T.Type, bytes: [UInt8], path: String) throws(ConfigFileError) -> T {
        try decodeKeepingTree(type, bytes: bytes, path: path).value
    }

    /// Decodes `bytes` as `decode` does, and gives the file's keys in file order too, for a
    /// caller that looks further at them (`SessionFile.open` lists the keys it ignored); nil for
    /// a text the ordered parse does not follow (see `orderedTree`).
    static func decodeKeepingTree<T: Decodable>(_ type: T.Type, bytes: [UInt8], path: String)
        throws(ConfigFileError) -> (value: T, tree: OrderedJSON?) {
        do {
            let value = try JSONDecoder().decode(type, from: Data(bytes))
            // The decoder keeps one of a repeated key's values without a word, and a user who
            // added a line rather than editing one would get the other; the ordered parse sees both.
            let tree = try orderedTree(of: bytes, path: path)
            if let repeated = tree?.firstRepeatedKey() {
                throw ConfigFileError(path: path, kind: .repeatedKey(path: repeated))
            }
            return (value, tree)
        } catch let error as ConfigFileError {
            throw error
        } catch let error as DecodingError {
            if isRefusedWithoutAKey(error), syntaxProblem(in: bytes) == nil,
               let unfit = UnfitNumber.locate(in: bytes, decoding: { outcome(decoding: type, $0) }) {
                throw ConfigFileError(path: path, kind: .unfitNumber(unfit.number, at: unfit.place))
            }
            throw ConfigFileError(path: path, kind: kind(of: error, in: bytes))
        } catch {
            throw ConfigFileError(path: path, kind: .invalidValue(path: "(top level)", reason: "\(error)"))
        }
    }

    /// The text the decoder accepted, parsed again keeping every key. The decoder steps over a
    /// UTF-8 byte-order mark and trailing commas, so this does too (the mark read as three
    /// spaces, so byte offsets stay the file's). Nesting deeper than the parse follows is
    /// refused, as no PoseStudio file nests so deep. The decoder reads a few texts more
    /// leniently still (UTF-16 or UTF-32; escapes, numbers and raw control characters in values
    /// it skips, which it never checks): those are left unchecked (nil), as they always were.
    private static func orderedTree(of bytes: [UInt8], path: String) throws(ConfigFileError) -> OrderedJSON? {
        var text = bytes
        if text.starts(with: byteOrderMark) { text.replaceSubrange(0..<3, with: repeatElement(UInt8(ascii: " "), count: 3)) }
        do {
            return try OrderedJSONParser.parse(text, allowingTrailingCommas: true)
        } catch where error.isTooDeep {
            throw ConfigFileError(path: path, kind: .nestedTooDeep(levels: OrderedJSONParser.maximumDepth,
                                                                   at: place(ofByte: error.byte, in: bytes)))
        } catch {
            return nil
        }
    }

    /// The file's bytes, refused with a message when it cannot be read or is too large to be a config.
    public static func contents(of url: URL) throws(ConfigFileError) -> [UInt8] {
        let path = url.path
        do {
            let file = try ReadOnlyFile(path: path)
            guard file.size <= maximumSize else {
                throw ConfigFileError(path: path, kind: .tooLarge(size: file.size))
            }
            return try file.read(count: file.size, at: 0)
        } catch let error as ConfigFileError {
            throw error
        } catch let error as ReadOnlyFile.Failure {
            throw ConfigFileError(path: path, kind: .unreadable(reason: error.reason))
        } catch {
            throw ConfigFileError(path: path, kind: .unreadable(reason: "\(error)"))
        }
    }

    /// Whether the decoder failed without naming a key: bad syntax, or a number that does not
    /// fit its key's type (`UnfitNumber`).
    private static func isRefusedWithoutAKey(_ error: DecodingError) -> Bool {
        if case .dataCorrupted(let context) = error { return context.codingPath.isEmpty }
        return false
    }

    private static func outcome<T: Decodable>(decoding type: T.Type, _ bytes: [UInt8]) -> UnfitNumber.Outcome {
        do {
            _ = try JSONDecoder().decode(type, from: Data(bytes))
            return .decodes
        } catch let error as DecodingError where isRefusedWithoutAKey(error) {
            return .refused
        } catch {
            return .failsOtherwise
        }
    }

    /// Turns Foundation's decoding error into one that says which key, in
    /// the file's own spelling, is wrong and how.
    private static func kind(of error: DecodingError, in bytes: [UInt8]) -> ConfigFileError.Kind {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            let reason = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return .notJSON(reason: reason ?? syntaxProblem(in: bytes) ?? context.debugDescription)
        default:
            return error.problem
        }
    }

    /// Where the JSON parser stopped, as a line and column a user can look up: JSONDecoder on
    /// Linux says only that the data was not valid, so the text is parsed again to learn where.
    static func syntaxProblem(in bytes: [UInt8]) -> String? {
        let data = Data(bytes)
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            guard let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String else { return nil }
            if detail.hasPrefix("Unexpected end of file during JSON parse") { return "the text ends too early (is the file cut short?)" }
            guard let range = detail.range(of: #"character (\d+)"#, options: .regularExpression),
                  let offset = Int(detail[range].dropFirst("character ".count)) else { return detail }
            let what = detail[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            return "\(what.hasSuffix("around") ? String(what.dropLast(" around".count)) : what) at \(place(ofByte: offset, in: bytes))"
        }
    }

    /// "line L, column C" of the byte at `offset`: parsers count bytes, the column counts
    /// characters, as an editor shows them.
    /// A byte-order mark is no character an editor shows.
    static func place(ofByte offset: Int, in bytes: [UInt8]) -> String {
        let before = bytes.prefix(offset)
        let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let textStart = bytes.starts(with: byteOrderMark) ? min(byteOrderMark.count, before.count) : 0
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? textStart
        let column = String(decoding: before[lineStart...], as: UTF8.self).count + 1
        return "line \(line), column \(column)"
    }
}

/// Decodes a diffusers-style config.json; see `ConfigFile.decode(_:from:)`.
public func decodeConfig<T: Decodable>(_ type: T.Type, from url: URL) throws(ConfigFileError) -> T {
    try ConfigFile.decode(type, from: url)
}
