import Testing
@testable import StudioUI

@Suite struct LayoutTests {
    @Test func theSmallestSupportedTerminalFits() {
        #expect(Layout(columns: 60, rows: 20).fits)
        #expect(!Layout(columns: 59, rows: 20).fits && !Layout(columns: 60, rows: 19).fits)
    }

    @Test func theTooSmallMessageWrapsToTheTerminal() {
        let lines = Layout(columns: 24, rows: 8).tooSmallMessage
        #expect(lines.count > 2)
        #expect(lines.allSatisfy { $0.count <= 24 })
        #expect(lines.joined(separator: " ").contains("needs at least 60x20 (this terminal is 24x8)"))
    }

    @Test func aTallPanelShowsEveryControlUnderItsTitle() {
        let panel = Layout(columns: 100, rows: 40).panel
        let rows = PanelRows(panel: panel, selected: .prompt)
        #expect(Array(rows.shown) == Control.allCases && rows.marker == " ")
        #expect(rows.control(atRow: panel.row) == nil, "the title")
        #expect(rows.control(atRow: panel.row + 1) == .pitch)
        #expect(rows.control(atRow: panel.row + Control.allCases.count) == .prompt)
        #expect(rows.control(atRow: panel.row + Control.allCases.count + 1) == nil)
    }

    /// The smallest screen has a row fewer than the controls: the panel scrolls to the selected one.
    @Test func aShortPanelKeepsTheSelectedControlInView() {
        let panel = Layout(columns: 60, rows: 20).panel
        #expect(panel.height - PanelRows.headerRows < Control.allCases.count, "the case this test is for")
        for selected in Control.allCases {
            let rows = PanelRows(panel: panel, selected: selected)
            #expect(rows.shown.contains(selected) && rows.shown.count == panel.height - PanelRows.headerRows)
            let clicked = (panel.row..<(panel.row + panel.height)).compactMap { rows.control(atRow: $0) }
            #expect(clicked == Array(rows.shown), "a click lands on the row drawn there")
        }
        let top = PanelRows(panel: panel, selected: .pitch)
        #expect(top.shown.first == .pitch && top.marker == "↓")
        let bottom = PanelRows(panel: panel, selected: .prompt)
        let firstOfTheLast = Control.allCases[Control.allCases.count - bottom.shown.count]
        #expect(bottom.shown.last == .prompt && bottom.shown.first == firstOfTheLast && bottom.marker == "↑")
        #expect(bottom.control(atRow: panel.row + 1) == firstOfTheLast)
    }

    @Test func aClickLandsOnTheRowDrawnThereEvenAfterAScrollNotYetDrawn() {
        let panel = Layout(columns: 60, rows: 20).panel
        let drawn = PanelRows(panel: panel, selected: .pitch)
        // ↓ held down has taken the selection to the last row and scrolled the panel; a click read in
        // the same batch of keys comes before the redraw, and the user saw the rows from pitch on.
        let rows = PanelRows.forClicks(lastDrawn: drawn, panel: panel, selected: .prompt)
        #expect(rows.control(atRow: panel.row + 1) == .pitch)
        // After a resize the old rows no longer fill the panel: read against the new panel's rows.
        let resized = Layout(columns: 80, rows: 30).panel
        #expect(PanelRows.forClicks(lastDrawn: drawn, panel: resized, selected: .prompt) == PanelRows(panel: resized, selected: .prompt))
    }
}

@Suite struct ColourFoldingTests {
    @Test func greyTextStaysVisibleOnFewColours() {
        #expect(CursesScreen.fold(243, to: 8, foreground: true) == 7)
        #expect(CursesScreen.fold(243, to: 16, foreground: true) == 8)
        #expect(CursesScreen.fold(236, to: 8, foreground: false) == 0)
        #expect(CursesScreen.fold(45, to: 8, foreground: true) == 6, "a cyan stays cyan")
        #expect(CursesScreen.fold(243, to: 256, foreground: true) == 243)
        #expect(CursesScreen.fold(-1, to: 8, foreground: true) == -1)
        // The light theme on 8 or 16 colours (xterm's TERM=xterm has 8): its panel folds light,
        // and its dark and mid greys must fold dark over it, never to the panel's own colour.
        let panel = CursesScreen.fold(255, to: 8, foreground: false)
        #expect(panel == 7)
        #expect(CursesScreen.fold(235, to: 8, foreground: true, over: panel) == 0)
        #expect(CursesScreen.fold(245, to: 16, foreground: true, over: panel) == 8)
        #expect(CursesScreen.fold(250, to: 8, foreground: true, over: panel) == 0)
        #expect(CursesScreen.fold(15, to: 8, foreground: true, over: panel) == 0, "white on white would vanish")
        #expect(CursesScreen.fold(16, to: 8, foreground: true, over: CursesScreen.fold(16, to: 8, foreground: false)) == 7)
        // Dim text over a dark panel on 16 colours stays bright black (a grey), dimmer than the white text.
        let dark = CursesScreen.fold(236, to: 16, foreground: false)
        #expect(dark == 0 && CursesScreen.fold(243, to: 16, foreground: true, over: dark) == 8)
    }
}
