/// The help box: every key and what it does, under the message line's text when that was too
/// long for the line. Meanings too long for the screen wrap under themselves; a list taller than
/// the screen scrolls with ↑ ↓.
public enum HelpOverlay {
    /// The box's lines (border included) for a screen `width` wide and `height` high, its list
    /// scrolled down by `scroll` lines (clamped to what there is to see), led by `notice` in full.
    public static func lines(width: Int, height: Int, scroll: Int = 0, notice: String? = nil) -> [String] {
        guard let page = Page(width: width, height: height, notice: notice) else { return [] }
        var shown = page.body
        if page.lastScroll > 0 {
            let visible = page.room - 1  // one line says where in the list the box is
            let first = min(max(scroll, 0), page.lastScroll)
            shown = Array(page.body[first..<(first + visible)])
                + ["↑ ↓ scroll · lines \(first + 1)–\(first + visible) of \(page.body.count)"]
        }
        let title = " keys (? or Esc closes) "
        let top = "┌" + title + String(repeating: "─", count: max(page.inner + 2 - title.count, 0)) + "┐"
        let bottom = "└" + String(repeating: "─", count: page.inner + 2) + "┘"
        return [top] + shown.map { "│ " + fit($0, page.inner) + " │" } + [bottom]
    }

    /// The furthest the list scrolls on a screen of this size: 0 when it fits.
    public static func maximumScroll(width: Int, height: Int, notice: String? = nil) -> Int {
        Page(width: width, height: height, notice: notice)?.lastScroll ?? 0
    }

    /// The box laid out for one screen size: its inner width, the wrapped list and the rows it has.
    private struct Page {
        let inner: Int, body: [String], room: Int

        /// nil when the screen is too narrow to read the box or too short to hold a line of it.
        init?(width: Int, height: Int, notice: String?) {
            guard let inner = HelpOverlay.innerWidth(screenWidth: width), height >= 4 else { return nil }
            let lead = notice.map { HelpOverlay.wrapped($0, width: inner) + [""] } ?? []
            (self.inner, body, room) = (inner, lead + HelpOverlay.body(inner: inner), height - 2)
        }

        /// The first line shown when scrolled to the end: 0 when the list fits; otherwise the
        /// list less the rows above the line that says where the box is.
        var lastScroll: Int { body.count > room ? body.count - (room - 1) : 0 }
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
