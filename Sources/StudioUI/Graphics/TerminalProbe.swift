import Foundation

/// Asks the terminal what it can draw, before curses starts: primary device attributes (DA1,
/// parameter 4 means sixel), XTSMGRAPHICS (a terminal that can report its sixel colour
/// registers has sixel, whatever its DA1 says), the cell size in pixels (TIOCGWINSZ, else
/// CSI 16 t) and the background colour (OSC 11), which picks a light or dark theme.
public enum TerminalProbe {
    public struct Reply: Sendable, Equatable {
        public var hasSixel: Bool
        public var cellSize: (width: Int, height: Int)?
        /// The background's red, green and blue in [0, 1], when the terminal told.
        public var background: (red: Double, green: Double, blue: Double)?

        public init(hasSixel: Bool, cellSize: (width: Int, height: Int)?, background: (red: Double, green: Double, blue: Double)? = nil) {
            (self.hasSixel, self.cellSize, self.background) = (hasSixel, cellSize, background)
        }

        /// True when the background is light (its luma, Rec. 709 weights on the reported values,
        /// above one half): dark text reads there.
        public var hasLightBackground: Bool {
            guard let b = background else { return false }
            return 0.2126 * b.red + 0.7152 * b.green + 0.0722 * b.blue > 0.5
        }

        public static func == (a: Reply, b: Reply) -> Bool {
            a.hasSixel == b.hasSixel && a.cellSize?.width == b.cellSize?.width && a.cellSize?.height == b.cellSize?.height
                && a.background.map { [$0.red, $0.green, $0.blue] } == b.background.map { [$0.red, $0.green, $0.blue] }
        }
    }

    /// Cell size assumed when the terminal reports none (xterm's default font).
    public static let defaultCellSize = (width: 10, height: 20)

    /// Queries the terminal on `input`/`output` (a tty), waiting at most `timeout` for the answer.
    /// Nil when they are not a terminal or it does not answer.
    public static func query(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, timeout: Duration = .milliseconds(300)) -> Reply? {
        guard isatty(input) == 1, isatty(output) == 1 else { return nil }
        var saved = termios()
        guard tcgetattr(input, &saved) == 0 else { return nil }
        var raw = saved
        cfmakeraw(&raw)
        guard tcsetattr(input, TCSANOW, &raw) == 0 else { return nil }
        // Whatever came after the wait (a late reply, keys typed meanwhile) is dropped, not read as keys.
        defer {
            tcflush(input, TCIFLUSH)
            tcsetattr(input, TCSANOW, &saved)
        }
        // Cell size, XTSMGRAPHICS and the background first, DA1 last: every terminal answers
        // DA1, and in order, so its reply ends the wait.
        let query = Array("\u{1B}[16t\u{1B}[?1;1;0S\u{1B}]11;?\u{1B}\\\u{1B}[c".utf8)
        guard query.withUnsafeBytes({ write(output, $0.baseAddress, $0.count) }) == query.count else { return nil }
        let answer = readReply(input, timeout: timeout)
        guard let parsed = parse(answer) else { return nil }
        return Reply(hasSixel: parsed.hasSixel, cellSize: windowCellSize(output) ?? parsed.cellSize, background: parsed.background)
    }

    /// The cell size from the kernel's window size, when the terminal filled in the pixel fields.
    public static func windowCellSize(_ fd: Int32 = STDOUT_FILENO) -> (width: Int, height: Int)? {
        guard let size = WindowSize.of(fd), size.ws_xpixel > 0, size.ws_ypixel > 0 else { return nil }
        return (Int(size.ws_xpixel) / Int(size.ws_col), Int(size.ws_ypixel) / Int(size.ws_row))
    }

    /// Reads until the DA1 reply's final "c" or the deadline.
    private static func readReply(_ fd: Int32, timeout: Duration) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            let ms = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, max(ms, 1)) > 0 else { break }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
            if parse(bytes) != nil { break }
        }
        return bytes
    }

    /// Reads "ESC [ ? p1 ; p2 ... c" (DA1) and optionally "ESC [ 6 ; height ; width t" from `bytes`.
    /// Nil until a complete DA1 reply is there.
    public static func parse(_ bytes: [UInt8]) -> Reply? {
        guard let parameters = deviceAttributes(bytes) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        var cell: (width: Int, height: Int)?
        if let start = text.range(of: "\u{1B}[6;"), let stop = text[start.upperBound...].firstIndex(of: "t") {
            let numbers = text[start.upperBound..<stop].split(separator: ";").compactMap { Int($0) }
            if numbers.count == 2, numbers[0] > 0, numbers[1] > 0 { cell = (numbers[1], numbers[0]) }
        }
        return Reply(hasSixel: parameters.dropFirst().contains(4) || reportsSixelRegisters(text), cellSize: cell,
                     background: backgroundColour(text))
    }

    /// The parameters of the first complete DA1 reply in `bytes`: "ESC [ ?", then only digits and
    /// semicolons, then "c". XTSMGRAPHICS's reply starts alike but ends in "S", and a background
    /// colour such as rgb:1c1c/... holds a "c" of its own: neither may end DA1 early, or the rest
    /// of the replies would reach curses as key presses.
    static func deviceAttributes(_ bytes: [UInt8]) -> [Int]? {
        let (escape, bracket, question, final, semicolon) = (UInt8(0x1B), UInt8(ascii: "["), UInt8(ascii: "?"), UInt8(ascii: "c"), UInt8(ascii: ";"))
        var start = 0
        while start + 2 < bytes.count {
            defer { start += 1 }
            guard bytes[start] == escape, bytes[start + 1] == bracket, bytes[start + 2] == question else { continue }
            var end = start + 3
            while end < bytes.count, bytes[end] == semicolon || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
            guard end < bytes.count, bytes[end] == final else { continue }
            return String(decoding: bytes[(start + 3)..<end], as: UTF8.self).split(separator: ";").compactMap { Int($0) }
        }
        return nil
    }

    /// The colour of an OSC 11 reply "ESC ] 11 ; rgb:R/G/B" (ended by BEL or ST), each
    /// component 1 to 4 hex digits scaled to [0, 1].
    static func backgroundColour(_ text: String) -> (red: Double, green: Double, blue: Double)? {
        guard let start = text.range(of: "\u{1B}]11;rgb:") else { return nil }
        let rest = text[start.upperBound...]
        guard let stop = rest.firstIndex(where: { $0 == "\u{07}" || $0 == "\u{1B}" }) else { return nil }
        let components = rest[..<stop].split(separator: "/", omittingEmptySubsequences: false).map { part -> Double? in
            guard (1...4).contains(part.count), part.allSatisfy(\.isHexDigit), let value = Int(part, radix: 16) else { return nil }
            return Double(value) / Double((1 << (4 * part.count)) - 1)
        }
        guard components.count == 3, let red = components[0], let green = components[1], let blue = components[2] else { return nil }
        return (red, green, blue)
    }

    /// True for an XTSMGRAPHICS reply "ESC [ ? 1 ; 0 ; registers S": status 0 is success.
    static func reportsSixelRegisters(_ text: String) -> Bool {
        guard let start = text.range(of: "\u{1B}[?1;"), let stop = text[start.upperBound...].firstIndex(of: "S") else { return false }
        let numbers = text[start.upperBound..<stop].split(separator: ";").map { Int($0) }
        return numbers.count == 2 && numbers[0] == 0 && (numbers[1] ?? 0) > 0
    }
}
