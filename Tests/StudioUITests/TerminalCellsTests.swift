import Glibc
import Testing
@testable import StudioUI

/// Text is measured in terminal cells: ideographs take two, combining marks none.
@Suite struct TerminalCellsTests {
    /// wcwidth measures by the locale; the studio sets the user's, the tests a UTF-8 one.
    init() { _ = setlocale(LC_CTYPE, "C.UTF-8") }

    @Test func widthsCountCellsNotCharacters() {
        #expect(TerminalCells.width("face.png") == 8)
        #expect(TerminalCells.width("顔.png") == 6)
        #expect(TerminalCells.width("e\u{301}") == 1)
    }

    @Test func cuttingNeverSplitsAWideCharacter() {
        #expect(TerminalCells.prefix("顔写真", cells: 3) == "顔")
        #expect(TerminalCells.prefix("顔写真", cells: 4) == "顔写")
        #expect(TerminalCells.suffix("~/顔写真", cells: 5) == "写真")
        #expect(TerminalCells.suffix("abc", cells: 0).isEmpty)
    }

    @Test func fixedWidthFieldsAndClippedRowsKeepTheirWidthInCells() {
        #expect(fit("顔写真", 5) == "顔写 ")
        #expect(fit("顔", 4, right: true) == "  顔")
        let row = ControlRow.clip([Segment("prompt ", .text), Segment("一枚の写真", .text)], to: 12)
        #expect(TerminalCells.width(row.text) <= 12 && row.text == "prompt 一枚")
    }
}
