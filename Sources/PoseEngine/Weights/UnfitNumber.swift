/// Finds the number a decoder refused without saying where.
///
/// Foundation's JSONDecoder on Linux reports a number that does not fit the type a key asks for
/// (a negative or fractional seed or count, 1e300 for a Float, a seed past 2^64) as "not valid
/// JSON", with no key. The culprit is found by writing 0 over the file's numbers, a prefix at a
/// time, and bisecting for the shortest prefix after which the file decodes (or fails for
/// another reason): 0 fits every numeric type, so the prefix's last number is one that did not fit.
enum UnfitNumber {
    struct Location: Equatable {
        let number: String
        let line: Int
        let column: Int
        /// The object key the number is the value of, when it is one (not an array element).
        let key: String?

        /// "for 'seed' at line 3, column 13", as a user would look it up.
        var place: String {
            (key.map { "for '\($0)' " } ?? "") + "at line \(line), column \(column)"
        }
    }

    /// `stillRefused(bytes)` says whether the decoder still fails the way it did on the file.
    static func locate(in bytes: [UInt8], stillRefused: ([UInt8]) -> Bool) -> Location? {
        let numbers = numberRanges(in: bytes)
        guard !numbers.isEmpty, !stillRefused(zeroing(numbers, in: bytes)) else { return nil }
        var low = 0, high = numbers.count  // refused with `low` numbers zeroed, not with `high`
        while high - low > 1 {
            let middle = (low + high) / 2
            if stillRefused(zeroing(numbers[..<middle], in: bytes)) { low = middle } else { high = middle }
        }
        return location(of: numbers[high - 1], in: bytes)
    }

    /// The byte ranges of the number tokens outside strings.
    static func numberRanges(in bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                index += 1
            } else if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                let start = index
                while index < bytes.count, isNumberByte(bytes[index]) { index += 1 }
                ranges.append(start..<index)
            } else {
                index += 1
            }
        }
        return ranges
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-+.eE".utf8.contains(byte)
    }

    private static func zeroing<Ranges: Collection<Range<Int>>>(_ ranges: Ranges, in bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        for range in ranges.reversed() { result.replaceSubrange(range, with: [UInt8(ascii: "0")]) }
        return result
    }

    private static func location(of range: Range<Int>, in bytes: [UInt8]) -> Location {
        let before = bytes[..<range.lowerBound]
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return Location(number: String(decoding: bytes[range], as: UTF8.self),
                        line: before.filter { $0 == UInt8(ascii: "\n") }.count + 1,
                        column: String(decoding: bytes[lineStart..<range.lowerBound], as: UTF8.self).count + 1,
                        key: key(before: range.lowerBound, in: bytes))
    }

    /// The quoted key before the colon that precedes `position`, if a colon does.
    private static func key(before position: Int, in bytes: [UInt8]) -> String? {
        var index = position - 1
        while index >= 0, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\n")
            || bytes[index] == UInt8(ascii: "\t") || bytes[index] == UInt8(ascii: "\r") { index -= 1 }
        guard index >= 0, bytes[index] == UInt8(ascii: ":") else { return nil }
        guard let close = bytes[..<index].lastIndex(of: UInt8(ascii: "\"")),
              let open = bytes[..<close].lastIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
    }
}
