import Testing
@testable import StudioUI

/// The help box shows every key's whole meaning: wrapped on a narrow screen, scrolled on a short one.
@Suite struct HelpOverlayTests {
    @Test func aWideScreenShowsEveryMeaningWhole() {
        let lines = HelpOverlay.lines(width: 200, height: 60)
        for entry in KeyBindings.help {
            #expect(lines.contains { $0.contains(entry.meaning) }, "\(entry.keys): \(entry.meaning)")
        }
        #expect(HelpOverlay.maximumScroll(width: 200, height: 60) == 0)
    }

    @Test func theSmallestScreenScrollsThroughEveryWordInsideTheBox() {
        let (width, height) = (60, 19)  // a 60x20 terminal less its status line
        let last = HelpOverlay.maximumScroll(width: width, height: height)
        #expect(last > 0)
        var seen: [String] = []
        for scroll in 0...last {
            let lines = HelpOverlay.lines(width: width, height: height, scroll: scroll)
            #expect(lines.count <= height && lines.allSatisfy { TerminalCells.width($0) <= width })
            #expect(lines.dropLast().last?.contains("↑ ↓ scroll · lines \(scroll + 1)–") == true)
            seen += lines.dropFirst().dropLast(2)
        }
        let words = Set(seen.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "│" }).map(String.init) })
        for entry in KeyBindings.help {
            for word in entry.meaning.split(separator: " ").map(String.init) {
                #expect(words.contains(word), "'\(word)' of \(entry.keys)")
            }
        }
        #expect(HelpOverlay.lines(width: width, height: height, scroll: last + 5) == HelpOverlay.lines(width: width, height: height, scroll: last),
                "scrolling past the end stays at the end")
    }

    /// A message too long for the message line is cut there and says so, and the help box
    /// shows it whole above the keys, on the smallest screen too.
    @Test func aCutMessageIsReadWholeInTheHelpBox() {
        var state = AppState()
        state.renderFailure = "the model's output is not finite (NaN or infinity) after step 3: its weights or a config.json "
            + "make it diverge; check the model folder, or render with the default model"
        let failure = state.renderFailure ?? ""
        let (width, height) = (60, 19)
        let line = StudioView.noticeLine(in: state, columns: width)?.0 ?? ""
        #expect(TerminalCells.width(line) == width && line.hasSuffix("… · ? reads it all"), "\(line)")
        let notice = StudioView.cutNotice(in: state, columns: width)
        #expect(notice == failure)
        let plainLast = HelpOverlay.maximumScroll(width: width, height: height)
        let last = HelpOverlay.maximumScroll(width: width, height: height, notice: notice)
        #expect(last > plainLast, "the message's lines lengthen the list")
        // It leads the box: the first page holds it, word for word.
        let firstPage = HelpOverlay.lines(width: width, height: height, notice: notice).dropFirst().dropLast(2)
        let words = firstPage.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "│" }).map(String.init) }
        #expect(Array(words.prefix(failure.split(separator: " ").count)) == failure.split(separator: " ").map(String.init))

        state.mode = .help
        #expect(StudioView.noticeLine(in: state, columns: width)?.0.hasSuffix("…") == true, "the help box shows it: no pointer to it")
        state.renderFailure = "short"
        #expect(StudioView.cutNotice(in: state, columns: width) == nil && StudioView.noticeLine(in: state, columns: width)?.0.split(separator: " ") == ["short"])
    }

    @Test func wrappingBreaksBetweenWordsAndCutsOnlyTooLongOnes() {
        #expect(HelpOverlay.wrapped("an image path, or none", width: 10) == ["an image", "path, or", "none"])
        #expect(HelpOverlay.wrapped("abcdefghijkl x", width: 5) == ["abcde", "fghij", "kl x"])
        #expect(HelpOverlay.wrapped("", width: 5) == [""])
    }

    @Test func arrowsScrollTheHelpAndOpeningItStartsAtTheTop() {
        var state = AppUpdate.update(AppState(), .toggleHelp)
        #expect(KeyBindings.action(for: .down, in: state, randomSeed: { 0 }) == .scrollHelp(to: 1))
        state = AppUpdate.update(state, .scrollHelp(to: 3))
        #expect(state.helpScroll == 3 && state.mode == .help)
        #expect(KeyBindings.action(for: .character("k"), in: state, randomSeed: { 0 }) == .scrollHelp(to: 2))
        state = AppUpdate.update(AppUpdate.update(state, .toggleHelp), .toggleHelp)
        #expect(state.helpScroll == 0)
    }
}
