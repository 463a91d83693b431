import CNcursesw
import Foundation

/// The curses screen: start-up, key and mouse input, text output and restoring the terminal.
/// Not Sendable on purpose: only the UI thread may use it.
final class CursesScreen {
    private(set) var isActive = false
    /// window, as initscr() returned it (the global itself is off limits in strict concurrency).
    private var window: UnsafeMutablePointer<WINDOW>?
    private var pairs: [Theme.Role: Int16] = [:]

    // Attribute bits as ncurses defines them (NCURSES_BITS(1, shift) = 1 << (shift + 8)); the
    // macros do not reach Swift.
    static let bold = attr_t(1) << 21
    static let reverse = attr_t(1) << 18
    // Mouse masks for NCURSES_MOUSE_VERSION 2: button 1 events in the lowest bits.
    private static let button1Released: mmask_t = 0x1
    private static let button1Pressed: mmask_t = 0x2
    private static let button1Clicked: mmask_t = 0x4

    /// Takes over the terminal. Call `stop()` on every way out; a fatal signal restores the
    /// terminal by itself and names `autosave`, the file holding the last autosaved settings.
    func start(theme: Theme, autosave: String?) {
        setlocale(LC_ALL, "")
        let shellModes = FatalSignals.currentModes()
        window = initscr()
        FatalSignals.arm(restoring: shellModes, autosave: autosave)
        isActive = true
        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        mousemask(Self.button1Pressed | Self.button1Clicked | Self.button1Released, nil)
        mouseinterval(0)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        apply(theme)
    }

    /// Gives the terminal back as it was. Safe to call more than once.
    func stop() {
        guard isActive else { return }
        isActive = false
        FatalSignals.disarm()
        endwin()
    }

    /// The character set the locale gives the terminal, when it is not UTF-8: ncursesw then
    /// cannot draw the slider glyphs or any text outside ASCII.
    var nonUTF8Codeset: String? {
        guard let name = nl_langinfo(nl_item(CODESET)).map({ String(cString: $0) }) else { return nil }
        return ["UTF-8", "UTF8"].contains(name.uppercased()) ? nil : name
    }

    var columns: Int { Int(getmaxx(window)) }
    var rows: Int { Int(getmaxy(window)) }
    var colorCount: Int { has_colors() ? max(Int(tigetnum("colors")), 8) : 0 }

    /// Colour pairs for every role of `theme`, folded to the terminal's colours.
    func apply(_ theme: Theme) {
        pairs = [:]
        guard has_colors() else { return }
        for (index, role) in Theme.Role.allCases.enumerated() {
            let colors = theme.colors(role)
            let pair = Int16(index + 1)
            let background = Self.fold(colors.background, to: colorCount, foreground: false)
            init_pair(pair, Self.fold(colors.foreground, to: colorCount, foreground: true, over: background), background)
            pairs[role] = pair
        }
        bkgdset(chtype(UInt32(pairs[.text] ?? 0) << 8) | chtype(UInt8(ascii: " ")))
    }

    /// The next key, click or resize, waiting at most `milliseconds` (0: do not wait).
    func poll(milliseconds: Int32) -> KeyEvent? {
        wtimeout(window, milliseconds)
        var character: wint_t = 0
        let status = wget_wch(window, &character)
        if status == ERR { return nil }
        if status == KEY_CODE_YES { return functionKey(Int32(character)) }
        return characterKey(UInt32(character))
    }

    private func functionKey(_ code: Int32) -> KeyEvent? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_SLEFT: return .shiftLeft
        case KEY_SRIGHT: return .shiftRight
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE, KEY_DC: return .backspace
        case KEY_RESIZE: return .resize
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            guard event.bstate & (Self.button1Pressed | Self.button1Clicked) != 0 else { return nil }
            return .click(column: Int(event.x), row: Int(event.y))
        default: return nil
        }
    }

    private func characterKey(_ code: UInt32) -> KeyEvent? {
        switch code {
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 9: return .tab
        case 1...26: return UnicodeScalar(code + 96).map { .control(Character($0)) }
        default: return UnicodeScalar(code).map { .character(Character($0)) }
        }
    }

    func erase() { werase(window) }

    /// Writes `text` at a cell, cut to `width` cells (a wide character never half drawn), in the colours of `role`.
    func put(_ text: String, row: Int, column: Int, width: Int, role: Theme.Role, bold: Bool = false, reverse: Bool = false) {
        guard width > 0, row >= 0, row < rows, column >= 0, column < columns else { return }
        let clipped = TerminalCells.prefix(text, cells: min(width, columns - column))
        var attributes = attr_t(0)
        if bold { attributes |= Self.bold }
        if reverse { attributes |= Self.reverse }
        wattr_set(window, attributes, pairs[role] ?? 0, nil)
        mvwaddstr(window, Int32(row), Int32(column), clipped)
        wattr_set(window, 0, pairs[.text] ?? 0, nil)
    }

    /// Fills a rectangle with blanks of `role`'s background.
    func clear(row: Int, column: Int, width: Int, height: Int, role: Theme.Role) {
        let blank = String(repeating: " ", count: max(width, 0))
        for r in row..<(row + height) { put(blank, row: r, column: column, width: width, role: role) }
    }

    /// Sends what changed to the terminal.
    func update() {
        wnoutrefresh(window)
        doupdate()
    }

    /// Catches up with the terminal's real size. ncurses learns of resizes from SIGWINCH, and a
    /// burst of them can leave it on a stale size; asking the terminal each turn cannot.
    /// True when the size changed.
    func followTerminalSize() -> Bool {
        guard let size = WindowSize.of() else { return false }
        let (rows, columns) = (Int32(size.ws_row), Int32(size.ws_col))
        guard rows != getmaxy(window) || columns != getmaxx(window) else { return false }
        resizeterm(rows, columns)
        return true
    }

    /// Makes the next update repaint every cell (after pictures were drawn over curses' text).
    func repaintAll() {
        clearok(window, true)
    }

    /// A colour for a terminal with `count` colours: 256-colour indices become the nearest of
    /// the basic ones when the terminal has no more; -1 keeps the terminal's default. Greys fold
    /// by their use: a grey text stays readable against the folded `background` it is drawn
    /// over (dark on a light panel; else bright black on 16 colours, white on 8), a grey
    /// background goes black unless it is light, and text never folds to its background's colour.
    static func fold(_ color: Int, to count: Int, foreground: Bool, over background: Int16 = -1) -> Int16 {
        guard color >= count, count <= 16 else { return Int16(color) }
        let folded: Int16
        if color < 16 {
            folded = Int16(color % 8)
        } else if color >= 232 {
            // Text greys on a light panel fold dark; elsewhere light, so dim text stays readable
            // on the terminal's own (usually dark) background.
            let overLight = background == 7 || background == 15
            if !foreground { folded = color >= 244 ? 7 : 0 }
            else if overLight { folded = color >= 244 && count >= 16 ? 8 : 0 }
            else if color >= 248 { folded = 7 }
            else { folded = count >= 16 ? 8 : 7 }
        } else {
            let cube = color - 16
            let (r, g, b) = (cube / 36, (cube / 6) % 6, cube % 6)
            folded = Int16((r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0))
        }
        // Two colours that fold together would hide the text: take the one that contrasts. Bright
        // black on black is a readable grey, but white on bright white is not.
        let whites: Set<Int16> = [7, 15]
        let clash = folded == background || (whites.contains(folded) && whites.contains(background))
        guard foreground, background >= 0, clash else { return folded }
        return whites.contains(background) ? 0 : 7
    }
}
