import PoseEngine

/// Seeded mutations of a valid input, for fuzzing the file readers: the same
/// seed always gives the same sequence of inputs, so any failure can be replayed.
struct Mutator {
    private var random: SeededGenerator

    /// Mutated inputs never grow past this, so a run cannot allocate without bound.
    static let maximumSize = 64 * 1024

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    /// One to four stacked mutations of `input`; `others` are spliced in from time to time.
    mutating func mutate(_ input: [UInt8], splicingWith others: [[UInt8]] = []) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            bytes = mutateOnce(bytes, others: others)
        }
        return Array(bytes.prefix(Self.maximumSize))
    }

    /// One to four value swaps only (numbers and strings), which mostly keep the JSON
    /// well-formed and so reach the checks behind the parser.
    mutating func mutateJSONValues(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            bytes = chance(50) ? replacingNumber(in: bytes) : replacingString(in: bytes)
        }
        return Array(bytes.prefix(Self.maximumSize))
    }

    mutating func chance(_ percent: Int) -> Bool {
        Int.random(in: 0..<100, using: &random) < percent
    }

    mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int.random(in: 0..<choices.count, using: &random)]
    }

    private mutating func mutateOnce(_ input: [UInt8], others: [[UInt8]]) -> [UInt8] {
        var bytes = input
        guard !bytes.isEmpty else { return Array(pick(Self.jsonTokens).utf8) }
        let position = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<10, using: &random) {
        case 0:
            bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        case 1:
            bytes[position] = pick(Self.interestingBytes)
        case 2:
            let count = Int.random(in: 1...8, using: &random)
            bytes.insert(contentsOf: (0..<count).map { _ in pick(Self.interestingBytes) }, at: position)
        case 3:
            let end = min(bytes.count, position + Int.random(in: 1...16, using: &random))
            bytes.removeSubrange(position..<end)
        case 4:
            // Repeating a run of bytes duplicates keys, members and brackets.
            let end = min(bytes.count, position + Int.random(in: 1...64, using: &random))
            let target = Int.random(in: 0...bytes.count, using: &random)
            bytes.insert(contentsOf: Array(bytes[position..<end]), at: target)
        case 5:
            bytes.removeSubrange(position...)
        case 6:
            guard let other = others.randomElement(using: &random), !other.isEmpty else { break }
            let cut = Int.random(in: 0..<other.count, using: &random)
            bytes = Array(bytes[..<position]) + other[cut...]
        case 7:
            bytes = replacingNumber(in: bytes)
        case 8:
            bytes = removingBracket(from: bytes)
        default:
            bytes = replacingString(in: bytes)
        }
        return bytes
    }

    /// Swaps one number literal for a token that tests ranges, overflow and types.
    private mutating func replacingNumber(in bytes: [UInt8]) -> [UInt8] {
        let isNumberByte: (UInt8) -> Bool = { Self.numberBytes.contains($0) }
        let starts = bytes.indices.filter { isNumberByte(bytes[$0]) && ($0 == 0 || !isNumberByte(bytes[$0 - 1])) }
        guard let start = starts.randomElement(using: &random) else { return bytes }
        var end = start
        while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
        var result = bytes
        result.replaceSubrange(start..<end, with: Array(pick(Self.jsonTokens).utf8))
        return result
    }

    /// Deletes one brace or bracket, leaving the structure unbalanced.
    private mutating func removingBracket(from bytes: [UInt8]) -> [UInt8] {
        let brackets: Set<UInt8> = [UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]")]
        guard let index = bytes.indices.filter({ brackets.contains(bytes[$0]) }).randomElement(using: &random) else {
            return bytes
        }
        var result = bytes
        result.remove(at: index)
        return result
    }

    /// Swaps the contents of one string literal for a hostile one.
    private mutating func replacingString(in bytes: [UInt8]) -> [UInt8] {
        let quotes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\"") }
        guard quotes.count >= 2 else { return bytes }
        let pair = Int.random(in: 0..<(quotes.count / 2), using: &random)
        var result = bytes
        result.replaceSubrange((quotes[2 * pair] + 1)..<quotes[2 * pair + 1], with: Array(pick(Self.stringContents).utf8))
        return result
    }

    static let interestingBytes: [UInt8] = [
        0x00, 0x01, 0x7F, 0x80, 0xC0, 0xED, 0xFF, 0x20, 0x0A,
        UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"),
        UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ":"),
        UInt8(ascii: "-"), UInt8(ascii: "0"), UInt8(ascii: "9"), UInt8(ascii: "e"),
    ]

    static let numberBytes = Set(Array("0123456789-+.eE".utf8))

    /// Values at and just past the limits of Int, UInt64, Float and Double, and other types.
    static let jsonTokens = [
        "0", "-0", "1", "-1", "2", "1.5", "-1.5", "1e999", "-1e999", "1e-400", "1e39", "NaN", "-Infinity", "Infinity",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "100000000", "4294967296", "1e18",
        "00", "01", "-", "1.", ".5", "1e", "\"\"", "null", "true", "[]", "{}", "[[[[[[[[", "{\"\":",
    ]

    static let stringContents = [
        "", "__metadata__", "dtype", "shape", "data_offsets", "F32", "F16", "BF16", "U8", "I64", "BOOL", "F8_E4M3",
        "\\u0000", "\\ud800", "\\udc00", "\\ud800\\u0041", "\\uD83D\\uDE00", "\\", "\\x", "\u{0}", "\u{FEFF}",
        "none", "images", "seed", "linear", "ddim", "pitch", "/", "../../etc/passwd",
        String(repeating: "a", count: 4096),
    ]
}
