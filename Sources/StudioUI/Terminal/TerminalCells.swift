import CNcursesw

/// How many terminal cells text takes. Most characters take one, CJK ideographs and
/// many emoji two, combining marks none, so a prompt or path typed in another script
/// must be measured in cells, not characters, to be clipped or followed on the same line.
/// Widths come from the C library's wcwidth for the locale the screen set up.
enum TerminalCells {
    /// A character's cells: its widest scalar (a base letter with combining marks is one
    /// cell). A scalar the locale cannot measure counts as one, as terminals draw it.
    /// Every drawn character passes here, so no array is built for its scalars.
    static func width(_ character: Character) -> Int {
        character.unicodeScalars.reduce(0) { widest, scalar in
            let cells = Int(wcwidth(wchar_t(bitPattern: scalar.value)))
            return max(widest, cells < 0 ? 1 : cells)
        }
    }

    static func width(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + width($1) }
    }

    /// The longest start of `text` that fits in `cells`.
    static func prefix(_ text: String, cells: Int) -> String {
        measuredPrefix(text, cells: cells).text
    }

    /// The longest start of `text` that fits in `cells`, and the cells it takes.
    static func measuredPrefix(_ text: String, cells: Int) -> (text: String, cells: Int) {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let next = used + width(text[index])
            if next > cells { break }
            used = next
            end = text.index(after: index)
        }
        return (String(text[..<end]), used)
    }

    /// The longest end of `text` that fits in `cells`.
    static func suffix(_ text: String, cells: Int) -> String {
        var used = 0
        var start = text.endIndex
        while start > text.startIndex {
            let before = text.index(before: start)
            used += width(text[before])
            if used > cells { break }
            start = before
        }
        return String(text[start...])
    }
}
