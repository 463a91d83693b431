import Glibc
import Testing
@testable import StudioUI

/// Text is measured in terminal cells: ideographs take two, combining marks none.
@Suite struct TerminalCellsTests {
    /// wcwidth measures by the locale. The studio sets the user's for the process; a test sets
    /// a UTF-8 one for its own thread only, leaving tests that run beside it alone.
    private func inUTF8Locale(_ body: () -> Void) {
        guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else {
            Issue.record("no C.UTF-8 locale on this machine")
            return
        }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        body()
    }

    @Test func widthsCountCellsNotCharacters() { inUTF8Locale {
        #expect(TerminalCells.width("face.png") == 8)
        #expect(TerminalCells.width("顔.png") == 6)
        #expect(TerminalCells.width("e\u{301}") == 1)
    } }

    @Test func cuttingNeverSplitsAWideCharacter() { inUTF8Locale {
        #expect(TerminalCells.prefix("顔写真", cells: 3) == "顔")
        #expect(TerminalCells.prefix("顔写真", cells: 4) == "顔写")
        #expect(TerminalCells.measuredPrefix("a顔写真", cells: 4) == ("a顔", 3), "the cut wide character is not counted")
        #expect(TerminalCells.suffix("~/顔写真", cells: 5) == "写真")
        #expect(TerminalCells.suffix("abc", cells: 0).isEmpty)
    } }

    @Test func fixedWidthFieldsAndClippedRowsKeepTheirWidthInCells() { inUTF8Locale {
        #expect(fit("顔写真", 5) == "顔写 ")
        #expect(fit("顔", 4, right: true) == "  顔")
        let row = ControlRow.clip([Segment("prompt ", .text), Segment("一枚の写真", .text)], to: 12)
        #expect(TerminalCells.width(row.text) <= 12 && row.text == "prompt 一枚")
        // A wide character cut at the edge ends the row: the next segment does not slip into its cell.
        let cut = ControlRow.clip([Segment("一枚の", .text), Segment(" ●", .accent)], to: 5)
        #expect(cut.text == "一枚")
    } }
}
