/// A strict RFC 8259 JSON parser (unless asked to allow trailing commas) that keeps every object member in file order: safetensors
/// headers are read with it, and config and session files are checked with it for repeated keys.
///
/// Input must already be valid UTF-8. Nesting is capped so that a hostile
/// header such as `[[[[...` cannot exhaust the stack.
struct OrderedJSONParser {
    struct Failure: Error, CustomStringConvertible {
        /// What is wrong, without the place.
        let problem: String
        /// Offset of the byte where parsing stopped.
        let byte: Int
        /// Whether the text nests deeper than `maximumDepth`, where it may be valid JSON still.
        var isTooDeep = false

        var reason: String { "\(problem) at byte \(byte)" }
        var description: String { reason }
    }

    static let maximumDepth = 64

    private let bytes: [UInt8]
    private let allowsTrailingCommas: Bool
    private var index = 0

    /// `allowingTrailingCommas` takes `[1, 2,]` and `{"a": 1,}` as Foundation's JSONDecoder
    /// does, for files that decoder reads; safetensors headers are held to RFC 8259.
    static func parse(_ bytes: [UInt8], allowingTrailingCommas: Bool = false) throws(Failure) -> OrderedJSON {
        var parser = OrderedJSONParser(bytes: bytes, allowsTrailingCommas: allowingTrailingCommas)
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw parser.failure("unexpected content after the top-level value")
        }
        return value
    }

    private init(bytes: [UInt8], allowsTrailingCommas: Bool) {
        (self.bytes, self.allowsTrailingCommas) = (bytes, allowsTrailingCommas)
    }

    private func failure(_ problem: String) -> Failure {
        Failure(problem: problem, byte: index)
    }

    /// After a ',' in an object or array: whether `closing` follows instead of another member,
    /// a trailing comma the parser was asked to allow (consumed).
    private mutating func closesAfterTrailingComma(_ closing: UInt8) -> Bool {
        guard allowsTrailingCommas else { return false }
        skipWhitespace()
        guard current == closing else { return false }
        index += 1
        return true
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            index += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard current == byte else { throw failure("expected \(what)") }
        index += 1
    }

    /// A value inside `depth` objects and arrays; an object or array is one level more, and at
    /// most `maximumDepth` levels nest.
    private mutating func parseValue(depth: Int) throws(Failure) -> OrderedJSON {
        skipWhitespace()
        guard let byte = current else { throw failure("unexpected end of the text") }
        switch byte {
        case UInt8(ascii: "{"):
            try checkNesting(depth)
            return try parseObject(depth: depth)
        case UInt8(ascii: "["):
            try checkNesting(depth)
            return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw failure("unexpected character")
        }
    }

    private func checkNesting(_ depth: Int) throws(Failure) {
        guard depth < Self.maximumDepth else {
            var tooDeep = failure("nesting deeper than \(Self.maximumDepth) levels")
            tooDeep.isTooDeep = true
            throw tooDeep
        }
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> OrderedJSON {
        index += 1
        var members: [(key: String, value: OrderedJSON)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a quoted key") }
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a key")
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                if closesAfterTrailingComma(UInt8(ascii: "}")) { return .object(members) }
                continue
            }
            try expect(UInt8(ascii: "}"), "',' or '}' in an object")
            return .object(members)
        }
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> OrderedJSON {
        index += 1
        var elements: [OrderedJSON] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                if closesAfterTrailingComma(UInt8(ascii: "]")) { return .array(elements) }
                continue
            }
            try expect(UInt8(ascii: "]"), "',' or ']' in an array")
            return .array(elements)
        }
    }

    private mutating func parseLiteral(_ word: String) throws(Failure) {
        for byte in word.utf8 {
            guard current == byte else { throw failure("invalid literal (expected '\(word)')") }
            index += 1
        }
    }

    /// Validates the number grammar and returns the literal text.
    private mutating func parseNumber() throws(Failure) -> String {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else {
            guard skipDigits() > 0 else { throw failure("invalid number") }
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw failure("invalid number: no digits after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw failure("invalid number: no digits in the exponent") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index - start
    }

    private mutating func parseString() throws(Failure) -> String {
        index += 1
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw failure("unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                // The input is valid UTF-8 and escapes produce whole scalars,
                // so this decoding never substitutes replacement characters.
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try appendEscape(to: &utf8)
            case 0x00..<0x20:
                index -= 1
                throw failure("control character inside a string")
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func appendEscape(to utf8: inout [UInt8]) throws(Failure) {
        guard let byte = current else { throw failure("unterminated escape") }
        index += 1
        if let replacement = Self.simpleEscape(byte) {
            utf8.append(replacement)
            return
        }
        guard byte == UInt8(ascii: "u") else { throw failure("invalid escape") }
        var code = UInt32(try parseHex4())
        if (0xD800..<0xDC00).contains(code) {
            // A high surrogate must be followed by an escaped low surrogate.
            guard current == UInt8(ascii: "\\") else { throw failure("unpaired surrogate escape") }
            index += 1
            guard current == UInt8(ascii: "u") else { throw failure("unpaired surrogate escape") }
            index += 1
            let low = UInt32(try parseHex4())
            guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate escape") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw failure("unpaired surrogate escape") }
        utf8.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    private mutating func parseHex4() throws(Failure) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = current, let digit = Self.hexValue(byte) else { throw failure("invalid \\u escape") }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    /// The byte a one-character escape such as `\n` stands for.
    private static func simpleEscape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
