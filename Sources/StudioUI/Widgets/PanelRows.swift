/// Which control rows the panel shows, and on which screen rows. Under its title the panel has a
/// row per control when the screen is tall enough; a shorter one shows a run of them that keeps the
/// selected row in view, and the title marks the side where rows are out of view.
struct PanelRows: Equatable {
    /// Rows above the first control row (the panel's title).
    static let headerRows = 1

    /// The controls shown, top to bottom.
    let shown: ArraySlice<Control>
    let panel: Layout.Rect

    init(panel: Layout.Rect, selected: Control) {
        let all = Control.allCases
        let room = max(panel.height - Self.headerRows, 0)
        // Scroll only as far as the selected row needs: the last rows come into view as it reaches them.
        let first = min(max(selected.rawValue - room + 1, 0), max(all.count - room, 0))
        self.panel = panel
        shown = all[first..<min(first + room, all.count)]
    }

    var hiddenAbove: Bool { shown.startIndex > 0 }
    var hiddenBelow: Bool { shown.endIndex < Control.allCases.count }

    /// The title's first cell: an arrow toward the rows out of view, a blank when all are shown.
    var marker: String {
        switch (hiddenAbove, hiddenBelow) {
        case (true, true): "↕"
        case (true, false): "↑"
        case (false, true): "↓"
        case (false, false): " "
        }
    }

    /// The rows a click is read against: those last drawn, while they fill the same panel. A click
    /// read with the same batch of keys as an ↑ or ↓ that scrolls the panel must land on the row the
    /// user saw, not on the row the next drawing will put there.
    static func forClicks(lastDrawn: PanelRows?, panel: Layout.Rect, selected: Control) -> PanelRows {
        if let lastDrawn, lastDrawn.panel == panel { return lastDrawn }
        return PanelRows(panel: panel, selected: selected)
    }

    /// The control drawn on screen row `row`, nil for the title and rows below the last control.
    func control(atRow row: Int) -> Control? {
        let index = shown.startIndex + row - panel.row - Self.headerRows
        return shown.indices.contains(index) ? shown[index] : nil
    }
}
