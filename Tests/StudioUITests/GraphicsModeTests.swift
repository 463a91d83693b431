import Testing
@testable import StudioUI

@Suite struct GraphicsModeTests {
    private let vt340 = Array("\u{1B}[6;16;8t\u{1B}[?63;1;2;4;6;9;15;22c".utf8)

    @Test func terminalRepliesAreParsed() throws {
        let reply = try #require(TerminalProbe.parse(vt340))
        #expect(reply.hasSixel && reply.cellSize?.width == 8 && reply.cellSize?.height == 16)
        let plain = try #require(TerminalProbe.parse(Array("\u{1B}[?62;22c".utf8)))
        #expect(!plain.hasSixel && plain.cellSize == nil)
        #expect(TerminalProbe.parse(Array("\u{1B}[6;16;8t".utf8)) == nil, "no DA1 yet: keep waiting")
        let registers = try #require(TerminalProbe.parse(Array("\u{1B}[?1;0;1024S\u{1B}[?62;22c".utf8)))
        #expect(registers.hasSixel, "XTSMGRAPHICS reporting colour registers means sixel")
        #expect(TerminalProbe.parse(Array("\u{1B}[?1;3;0S\u{1B}[?62;22c".utf8))?.hasSixel == false, "status 3: failure")
        #expect(TerminalProbe.parse(Array("garbage;4c\u{1B}[?".utf8)) == nil)
        // XTSMGRAPHICS's reply starts like DA1's and a background colour may hold a "c": neither ends DA1.
        let early = Array("\u{1B}[?1;3;0S\u{1B}]11;rgb:1c1c/1c1c/1c1c\u{1B}\\".utf8)
        #expect(TerminalProbe.parse(early) == nil, "DA1 has not arrived: keep reading")
        let whole = try #require(TerminalProbe.parse(early + Array("\u{1B}[?63;4c".utf8)))
        #expect(whole.hasSixel, "DA1's own parameters are read: 4 is sixel, though XTSMGRAPHICS failed")
        #expect(TerminalProbe.deviceAttributes(early + Array("\u{1B}[?63;4c".utf8)) == [63, 4])
        #expect(TerminalProbe.parse(Array("\u{1B}[?4c\u{1B}[6;-3;99999999999999999999t".utf8))?.cellSize == nil,
                "a nonsense cell size is ignored")
    }

    /// OSC 11 replies, ended by ST or BEL, with 4- or 2-digit components: light or dark.
    @Test func theBackgroundColourPicksLightOrDark() throws {
        let white = try #require(TerminalProbe.parse(Array("\u{1B}]11;rgb:ffff/ffff/ffff\u{1B}\\\u{1B}[?63;4c".utf8)))
        #expect(white.hasLightBackground && white.background?.red == 1)
        let black = try #require(TerminalProbe.parse(Array("\u{1B}]11;rgb:0000/0000/0000\u{07}\u{1B}[?62c".utf8)))
        #expect(!black.hasLightBackground && black.background?.green == 0)
        let solarized = try #require(TerminalProbe.parse(Array("\u{1B}]11;rgb:fd/f6/e3\u{07}\u{1B}[?62c".utf8)))
        #expect(solarized.hasLightBackground)
        let navy = try #require(TerminalProbe.parse(Array("\u{1B}]11;rgb:0000/0000/8000\u{07}\u{1B}[?62c".utf8)))
        #expect(!navy.hasLightBackground, "blue counts little toward lightness")
        let silent = try #require(TerminalProbe.parse(Array("\u{1B}[?62c".utf8)))
        #expect(silent.background == nil && !silent.hasLightBackground, "no answer: the dark default")
        #expect(try #require(TerminalProbe.parse(Array("\u{1B}]11;rgb:zz/00/00\u{07}\u{1B}[?62c".utf8))).background == nil)
        #expect(try #require(TerminalProbe.parse(Array("\u{1B}]11;rgb:-f/00/00\u{07}\u{1B}[?62c".utf8))).background == nil, "no signs")
        #expect(try #require(TerminalProbe.parse(Array("\u{1B}]11;rgb:ffff/ffff\u{07}\u{1B}[?62c".utf8))).background == nil)
    }

    @Test func autoPicksSixelOnlyWhereItWorks() {
        let reply = TerminalProbe.parse(vt340)
        #expect(GraphicsMode.choose(.auto, probe: reply, environment: [:]) == .sixel(cellWidth: 8, cellHeight: 16))
        #expect(GraphicsMode.choose(.auto, probe: reply, environment: ["TMUX": "/tmp/tmux-0/default,1,0"]) == .blocks(trueColor: false))
        #expect(GraphicsMode.choose(.auto, probe: nil, environment: ["COLORTERM": "truecolor"]) == .blocks(trueColor: true))
        #expect(GraphicsMode.choose(.sixel, probe: nil, environment: [:])
                == .sixel(cellWidth: TerminalProbe.defaultCellSize.width, cellHeight: TerminalProbe.defaultCellSize.height))
    }
}
