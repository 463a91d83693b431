import PoseEngine

/// Draws an AppState on the curses screen, then the picture over it.
struct StudioView {
    let screen: CursesScreen
    let graphics: GraphicsMode

    struct Outcome {
        var pictureDrawn = false
        var failure: String?
        /// The control rows on screen (nil when the panel is not drawn, or the help covers it).
        var panelRows: PanelRows?
    }

    /// Draws everything; `picture` is written over the image pane when given (the pane keeps
    /// the last one otherwise, since curses leaves cells it thinks are blank alone).
    func draw(_ state: AppState, picture: (image: SynthImage, final: Bool)?) -> Outcome {
        let layout = Layout(columns: screen.columns, rows: screen.rows)
        screen.erase()
        guard layout.fits else {
            for (row, line) in layout.tooSmallMessage.prefix(max(layout.rows, 1)).enumerated() {
                screen.put(line, row: row, column: 0, width: layout.columns, role: .warning)
            }
            screen.update()
            return Outcome()
        }
        let panelRows = drawPanel(state, layout.panel)
        drawMessageLine(state, layout)
        screen.put(StatusBar.text(state, graphics: graphics, width: layout.columns), row: layout.statusRow, column: 0,
                   width: layout.columns, role: .status)
        if state.mode == .help {
            drawHelp(state, layout)
            screen.update()
            // The help covers the panel: no row is on screen to click.
            return Outcome()
        }
        screen.update()
        guard let picture else { return Outcome(panelRows: panelRows) }
        do {
            let placement = ImagePlacement(pane: layout.imagePane, mode: graphics)
            TerminalOutput.write(try PictureBytes.make(picture.image, placement: placement, mode: graphics, final: picture.final))
            return Outcome(pictureDrawn: true, panelRows: panelRows)
        } catch {
            return Outcome(pictureDrawn: true, failure: error.description, panelRows: panelRows)
        }
    }

    private func drawPanel(_ state: AppState, _ panel: Layout.Rect) -> PanelRows {
        let estimate = state.progress?.estimate
        let rows = PanelRows(panel: panel, selected: state.selected)
        screen.put(rows.marker + " controls   value   guide  ~ live estimate", row: panel.row, column: panel.column,
                   width: panel.width, role: .dim)
        // Rows are placed by the mapping clicks are read with, so a click lands on the row drawn.
        for row in stride(from: panel.row + PanelRows.headerRows, to: panel.row + panel.height, by: 1) {
            guard let control = rows.control(atRow: row) else { break }
            var column = panel.column
            for segment in ControlRow.segments(control, settings: state.settings, estimate: estimate,
                                               selected: control == state.selected, width: panel.width) {
                screen.put(segment.text, row: row, column: column, width: panel.column + panel.width - column, role: segment.role)
                column += TerminalCells.width(segment.text)
            }
        }
        return rows
    }

    private func drawMessageLine(_ state: AppState, _ layout: Layout) {
        let row = layout.messageRow
        switch state.mode {
        case .entry(let entry):
            let line = Self.entryLabel(entry.purpose) + ": " + entry.text + "█"
            // Long entries scroll so the end being typed stays visible.
            let shown = TerminalCells.suffix(line, cells: layout.columns)
            screen.put(shown, row: row, column: 0, width: layout.columns, role: .accent)
            let hintColumn = TerminalCells.width(shown) + 3
            if let hint = entry.hint, hintColumn < layout.columns {
                screen.put(hint, row: row, column: hintColumn, width: layout.columns - hintColumn, role: .message)
            }
        case .confirmQuit:
            screen.put("unsaved changes: y save and quit · n quit without saving · Esc stay", row: row, column: 0,
                       width: layout.columns, role: .warning, bold: true)
        case .normal, .help:
            guard let (line, role) = Self.noticeLine(in: state, columns: layout.columns) else { return }
            screen.put(line, row: row, column: 0, width: layout.columns, role: role)
        }
    }

    /// The notice fitted to a line `columns` wide: one cut short says where to read it whole,
    /// unless the help box is showing it already.
    static func noticeLine(in state: AppState, columns: Int) -> (String, Theme.Role)? {
        guard let (line, role) = notice(in: state) else { return nil }
        let readMore = " · ? reads it all"
        guard TerminalCells.width(line) > columns, state.mode != .help else { return (ellipsized(line, columns), role) }
        return (ellipsized(line, columns - TerminalCells.width(readMore)) + readMore, role)
    }

    /// The message line's text when it is too long for a screen `columns` wide: the help box
    /// shows it whole above the keys.
    static func cutNotice(in state: AppState, columns: Int) -> String? {
        guard let (line, _) = notice(in: state), TerminalCells.width(line) > columns else { return nil }
        return line
    }

    /// The message line out of an entry: a render failure (behind the passing notice, as the
    /// failure stays until a render succeeds and a long one would push every later notice off the
    /// line), else the notice, else the settings' first problem.
    private static func notice(in state: AppState) -> (String, Theme.Role)? {
        if let failure = state.renderFailure {
            return ([state.message, failure].compactMap { $0 }.joined(separator: " · "), .warning)
        }
        if let message = state.message { return (message, .message) }
        return state.settings.problems().first.map { ($0, .warning) }
    }

    private func drawHelp(_ state: AppState, _ layout: Layout) {
        let lines = HelpOverlay.lines(width: layout.columns, height: layout.rows - 1, scroll: state.helpScroll,
                                      notice: Self.cutNotice(in: state, columns: layout.columns))
        let width = lines.map(\.count).max() ?? 0
        let top = max((layout.rows - 1 - lines.count) / 2, 0)
        let left = max((layout.columns - width) / 2, 0)
        for (offset, line) in lines.enumerated() {
            screen.put(line, row: top + offset, column: left, width: width, role: .text)
        }
    }

    static func entryLabel(_ purpose: AppState.EntryPurpose) -> String {
        switch purpose {
        case .number(let control): return control.label
        case .prompt: return "prompt"
        case .face(let control): return "\(control.label) (image path, seed N, or none)"
        case .saveAs: return "save session as"
        case .open: return "open session"
        case .sweep: return "sweep (PARAMETER FROM TO FRAMES)"
        }
    }
}
