/// The help box: every key and what it does. Meanings too long for the screen wrap under
/// themselves; a list taller than the screen scrolls with ↑ ↓.
public enum HelpOverlay {
    /// The box's lines (border included) for a screen `width` wide and `height` high, its list
    /// scrolled down by `scroll` lines (clamped to what there is to see).
    public static func lines(width: Int, height: Int, scroll: Int = 0) -> [String] {
        guard let inner = innerWidth(screenWidth: width), height >= 4 else { return [] }
        let body = self.body(inner: inner)
        let room = height - 2
        var shown = body
        if body.count > room {
            let visible = room - 1  // one line says where in the list the box is
            let first = min(max(scroll, 0), body.count - visible)
            shown = Array(body[first..<(first + visible)])
                + ["↑ ↓ scroll · lines \(first + 1)–\(first + visible) of \(body.count)"]
        }
        let title = " keys (? or Esc closes) "
        let top = "┌" + title + String(repeating: "─", count: max(inner + 2 - title.count, 0)) + "┐"
        let bottom = "└" + String(repeating: "─", count: inner + 2) + "┘"
        return [top] + shown.map { "│ " + fit($0, inner) + " │" } + [bottom]
    }

    /// The furthest the list scrolls on a screen of this size: 0 when it fits.
    public static func maximumScroll(width: Int, height: Int) -> Int {
        guard let inner = innerWidth(screenWidth: width), height >= 4 else { return 0 }
        let lineCount = body(inner: inner).count, room = height - 2
        return lineCount > room ? lineCount - (room - 1) : 0
    }

    private static let keysWidth = KeyBindings.help.map { TerminalCells.width($0.keys) }.max() ?? 0

    /// As wide as the longest entry, or the screen less the border; nil when too narrow to read.
    private static func innerWidth(screenWidth: Int) -> Int? {
        let natural = KeyBindings.help.map { keysWidth + 2 + TerminalCells.width($0.meaning) }.max() ?? 0
        let inner = min(screenWidth - 4, natural)
        return inner - keysWidth - 2 >= 12 ? inner : nil
    }

    /// One line per entry, and more where its meaning wraps (under the meaning's first word).
    private static func body(inner: Int) -> [String] {
        let meaningWidth = inner - keysWidth - 2
        return KeyBindings.help.flatMap { entry in
            wrapped(entry.meaning, width: meaningWidth).enumerated().map { index, part in
                (index == 0 ? fit(entry.keys, keysWidth) : String(repeating: " ", count: keysWidth)) + "  " + part
            }
        }
    }

    /// `text` in lines of at most `width` cells, broken between words (a word longer than a
    /// line is cut across lines).
    static func wrapped(_ text: String, width: Int) -> [String] {
        precondition(width >= 2, "lines must hold a wide character")
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ").map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if TerminalCells.width(candidate) <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            var rest = word
            while TerminalCells.width(rest) > width {
                let head = TerminalCells.prefix(rest, cells: width)
                lines.append(head)
                rest = String(rest.dropFirst(head.count))
            }
            line = rest
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
