import Testing
@testable import StudioUI

@Suite struct HalfBlockFrameTests {
    @Test func pairsRowsIntoCellsAndAveragesBlocks() {
        // 2x4 image: rows red, red, green, blue -> 2x2 target pixels -> 2 columns x 1 row.
        let red: [UInt8] = [255, 0, 0], green: [UInt8] = [0, 255, 0], blue: [UInt8] = [0, 0, 255]
        let pixels = red + red + red + red + green + green + blue + blue
        let frame = HalfBlockFrame(pixels: pixels, width: 2, height: 4, columns: 2, rows: 1)
        #expect(frame.cells.count == 2)
        #expect(frame.cell(column: 0, row: 0).top == .init(255, 0, 0))
        #expect(frame.cell(column: 1, row: 0).bottom == .init(0, 127, 127))
    }

    @Test func xterm256PicksCubeAndGreys() {
        #expect(HalfBlockFrame.RGB(255, 0, 0).xterm256 == 196)
        #expect(HalfBlockFrame.RGB(0, 0, 0).xterm256 == 16)
        #expect(HalfBlockFrame.RGB(128, 128, 128).xterm256 == 244)
    }
}
