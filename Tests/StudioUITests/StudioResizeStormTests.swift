import Foundation
import PoseEngine
import StudioUI
import Testing

extension TerminalTests {
    /// A storm of terminal resizes, from a couple of cells to far larger than the start, leaves the
    /// studio running, laid out for the size it settles on, answering keys and quitting cleanly.
    @Suite
    struct StudioResizeStormTests {
        private typealias Size = (columns: Int, rows: Int)
        /// The studio's screen layout (PoseEngine has a `Layout` of its own).
        private typealias Layout = StudioUI.Layout

        private static let start: Size = (120, 40)

        /// Sizes from a single cell to 160x60: too small by far, by one cell, just fitting, large.
        private static let spread: [Size] = [
            (2, 1), (10, 5), (59, 19), (160, 60), (60, 20), (1, 1), (100, 30),
            (33, 12), (140, 50), (80, 24), (61, 21), (120, 40), (60, 19), (59, 20),
        ]

        /// 100 sizes, stepping through `spread` five at a time (coprime with its count, so all of
        /// them) to jump between small and large rather than grow and shrink in order.
        private static let storm: [Size] = (0..<100).map { spread[($0 * 5) % spread.count] }

        /// The studio on the tiny model with a new session in its own folder, which the caller removes.
        private func startStudio() throws -> (studio: TmuxSession, folder: URL) {
            try StudioUnderTest.requireExecutable()
            let model = try TinyModelFolder.url()
            var settings = StudioSettings()
            (settings.steps, settings.previewSteps) = (4, 2)
            let (folder, session) = try StudioUnderTest.sessionFolder("storm.json", settings: settings)
            let studio = try StudioUnderTest.start(model: model, session: session, columns: Self.start.columns, rows: Self.start.rows)
            return (studio, folder)
        }

        /// Every size of the storm back to back (their SIGWINCHs pile up and the studio must catch
        /// up with the last size), then again a millisecond apart (so resizes land while it draws),
        /// ending on 59x19: that size's message, drawn inside tmux's unchanged screen, shows the
        /// sizes reached the studio.
        private func blowStorm(over studio: TmuxSession) throws {
            try studio.resizeBehindTmux(through: Self.storm)
            try studio.resizeBehindTmux(through: Self.storm, pause: 0.001)
            let last: Size = (59, 19)
            try studio.resizeBehindTmux(through: [last])
            try studio.waitFor("the studio to see the storm's last size, \(last.columns)x\(last.rows)", timeout: .seconds(30)) {
                showsTooSmallMessage($0, Layout(columns: last.columns, rows: last.rows))
            }
        }

        private func lines(_ screen: String) -> [Substring] {
            screen.split(separator: "\n", omittingEmptySubsequences: false)
        }

        /// Row `row` of the screen, empty when there is none (a failed capture is an empty screen).
        private func line(_ screen: String, _ row: Int) -> Substring {
            let rows = lines(screen)
            return rows.indices.contains(row) ? rows[row] : ""
        }

        /// True when the screen starts with the wrapped too-small message for `layout`'s size.
        private func showsTooSmallMessage(_ screen: String, _ layout: Layout) -> Bool {
            let message = layout.tooSmallMessage
            let top = lines(screen).prefix(message.count).map { String($0.reversed().drop { $0 == " " }.reversed()) }
            return top == message
        }

        /// Where the panel's "controls" header sits, counted from the panel's left edge in `layout`.
        private func headerOffset(_ screen: String, _ layout: Layout) -> Int? {
            for line in lines(screen) {
                if let header = line.range(of: "controls") {
                    return line.distance(from: line.startIndex, to: header.lowerBound) - layout.panel.column
                }
            }
            return nil
        }

        @Test func aResizeStormLeavesTheStudioRunningLaidOutForItsLastSizeAndAnswering() throws {
            let (studio, folder) = try startStudio()
            defer { try? FileManager.default.removeItem(at: folder) }
            let startLayout = Layout(columns: Self.start.columns, rows: Self.start.rows)
            let first = try studio.waitFor("the first finished picture", timeout: .seconds(60)) { $0.contains("done") }
            let header = try #require(headerOffset(first, startLayout), "the control panel's header:\n\(first)")
            let pid = try #require(try studio.panePID())

            try blowStorm(over: studio)
            // The panel where a 100x30 layout puts it and the status bar on the last row: the studio
            // draws for the size it settled on, not one from the storm.
            let layout = Layout(columns: 100, rows: 30)
            try studio.resize(columns: layout.columns, rows: layout.rows)
            let settled = try studio.waitFor("the studio laid out for 100x30", timeout: .seconds(30)) {
                headerOffset($0, layout) == header && line($0, layout.statusRow).contains("done")
            }
            #expect(StudioUnderTest.yawRow(settled).contains(" 0°"))
            #expect(try studio.panePID() == pid, "the same studio process as before the storm")

            try studio.sendKeys("Right")
            try studio.waitFor("yaw one notch up", timeout: .seconds(30)) { StudioUnderTest.yawRow($0).contains(" 1°") }
            try studio.sendKeys("q")
            try studio.waitFor("the quit question", timeout: .seconds(30)) { $0.contains("unsaved") || $0.contains("save") }
            try studio.sendKeys("n")
            try studio.waitForExit(timeout: .seconds(30))
        }

        @Test func afterAResizeStormATooSmallTerminalShowsTheWrappedMessageAndQQuits() throws {
            let (studio, folder) = try startStudio()
            defer { try? FileManager.default.removeItem(at: folder) }
            try studio.waitFor("the first finished picture", timeout: .seconds(60)) { $0.contains("done") }

            try blowStorm(over: studio)
            let layout = Layout(columns: 50, rows: 15)
            try studio.resize(columns: layout.columns, rows: layout.rows)
            try studio.waitFor("the message wrapped to 50 columns", timeout: .seconds(30)) { showsTooSmallMessage($0, layout) }
            try studio.sendKeys("q")
            try studio.waitForExit(timeout: .seconds(30))
        }
    }
}
