/// Finds the number a decoder refused without saying where.
///
/// Foundation's JSONDecoder on Linux reports a number that does not fit the type a key asks for
/// (a negative or fractional seed or count, 1e300 for a Float, a seed past 2^64) as "not valid
/// JSON", with no key. The culprit is found by writing 0 over the file's numbers (0 fits every
/// numeric type) past a point, and bisecting for the shortest run of the file's own numbers that
/// is still refused: its last number is the first that does not fit.
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

    /// What the decoder makes of a file.
    enum Outcome {
        case decodes
        /// Fails without naming a key, as it did on the file being searched.
        case refused
        /// Fails for another reason (a 0 that no enum case has, say).
        case failsOtherwise
    }

    static func locate(in bytes: [UInt8], decoding outcome: ([UInt8]) -> Outcome) -> Location? {
        let numbers = numberRanges(in: bytes)
        guard !numbers.isEmpty, outcome(zeroing(numbers[...], in: bytes)) != .refused else { return nil }
        var low = 0, high = numbers.count  // keeping the first `high` numbers is refused, the first `low` not
        while high - low > 1 {
            let middle = (low + high) / 2
            if outcome(zeroing(numbers[middle...], in: bytes)) == .refused { high = middle } else { low = middle }
        }
        let culprit = numbers[high - 1]
        // A 0 elsewhere may have changed how the file fails rather than mended it, so the culprit
        // is named only when it is proven: the file decodes without it, or it alone is refused.
        let mendedWithout = outcome(zeroing([culprit], in: bytes)) == .decodes
        let refusedAlone = outcome(zeroing(numbers.filter { $0 != culprit }, in: bytes)) == .refused
        guard mendedWithout || refusedAlone else { return nil }
        return location(of: culprit, in: bytes)
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
        let colon = lastNonSpace(before: position, in: bytes)
        guard colon >= 0, bytes[colon] == UInt8(ascii: ":") else { return nil }
        let close = lastNonSpace(before: colon, in: bytes)
        guard close > 0, bytes[close] == UInt8(ascii: "\"") else { return nil }
        // The opening quote is the first one back that no backslash escapes.
        var open = close - 1
        while open >= 0 {
            if bytes[open] == UInt8(ascii: "\"") {
                var backslashes = 0
                while open - backslashes - 1 >= 0, bytes[open - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
                if backslashes % 2 == 0 { break }
            }
            open -= 1
        }
        guard open >= 0 else { return nil }
        return String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
    }

    /// The index of the last byte before `position` that is not JSON white space (-1 if none).
    private static func lastNonSpace(before position: Int, in bytes: [UInt8]) -> Int {
        var index = position - 1
        while index >= 0, " \n\t\r".utf8.contains(bytes[index]) { index -= 1 }
        return index
    }
}
