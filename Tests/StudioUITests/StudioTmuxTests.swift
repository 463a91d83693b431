import Foundation
import PoseEngine
import Testing

extension TerminalTests {
    /// The studio end to end in a real terminal (tmux): keys in, screen out, session file on disk.
    @Suite
    struct StudioTmuxTests {
        /// The colours of the picture's half blocks (24-bit SGR), in screen order.
        private func picture(_ screen: String) -> [Substring] {
            screen.split(separator: "\u{1B}").filter { $0.hasPrefix("[38;2;") || $0.hasPrefix("[48;2;") }
        }

        private func startStudio(model: URL, session: URL) throws -> TmuxSession {
            try StudioUnderTest.start(model: model, session: session, columns: 120, rows: 40)
        }

        @Test func yawMovesWithKeysChangesThePictureAndSurvivesSaveAndReopen() throws {
            try StudioUnderTest.requireExecutable()
            let model = try TinyModelFolder.url()
            var settings = StudioSettings()
            (settings.steps, settings.previewSteps, settings.seed, settings.guidance) = (4, 2, 7, 200)
            settings.targets.steer(.yaw, to: 0)
            let (folder, sessionURL) = try StudioUnderTest.sessionFolder("pose.json", settings: settings)
            defer { try? FileManager.default.removeItem(at: folder) }

            let studio = try startStudio(model: model, session: sessionURL)
            let first = try studio.waitFor("the first finished picture", escapes: true) { $0.contains("done") && !picture($0).isEmpty }
            #expect(StudioUnderTest.yawRow(first).contains(" 0°"))

            try studio.sendKeys("L", "L", "Right")
            let moved = try studio.waitFor("yaw at 31° and a new finished picture", escapes: true) {
                StudioUnderTest.yawRow($0).contains(" 31°") && $0.contains("done") && picture($0) != picture(first)
            }
            #expect(moved.contains("[+]"), "the status bar marks the edit unsaved")

            try studio.sendKeys("s")
            try studio.waitFor("the save") { $0.contains("saved") && !$0.contains("[+]") }
            try studio.sendKeys("q")
            try studio.waitForExit()
            let saved = try SessionFile.load(from: sessionURL)
            #expect(saved.settings.targets.value(.yaw) == 31 && saved.settings.targets.isActive(.yaw))
            #expect(saved.undo.last?.targets.value(.yaw) == 0, "the undo history is saved too")

            let reopened = try startStudio(model: model, session: sessionURL)
            let screen = try reopened.waitFor("the reopened session") { $0.contains("pose.json") && StudioUnderTest.yawRow($0).contains(" 31°") }
            #expect(!screen.contains("[+]"))
            try reopened.sendKeys("q")
            try reopened.waitForExit()
        }

        /// Resident memory of a process in kilobytes (VmRSS in /proc).
        private func residentKilobytes(_ pid: Int32) -> Int? {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }

        @Test func tenThousandSliderChangesKeepMemoryBoundedAndTheStudioResponsive() throws {
            try StudioUnderTest.requireExecutable()
            let model = try TinyModelFolder.url()
            var settings = StudioSettings()
            (settings.steps, settings.previewSteps) = (4, 2)
            let (folder, sessionURL) = try StudioUnderTest.sessionFolder("load.json", settings: settings)
            defer { try? FileManager.default.removeItem(at: folder) }
            let studio = try startStudio(model: model, session: sessionURL)
            try studio.waitFor("the first finished picture") { $0.contains("done") }
            let pid = try #require(try studio.panePID())
            let before = try #require(residentKilobytes(pid))

            // 10 000 changes: 5 000 notches right and 5 000 left, sent in bursts as a held key would.
            for burst in 0..<100 {
                try studio.sendKeys(contentsOf: Array(repeating: burst % 2 == 0 ? "Right" : "Left", count: 100))
            }
            let settled = try studio.waitFor("yaw back at 0 and rendered", timeout: .seconds(60)) {
                StudioUnderTest.yawRow($0).contains(" 0°") && $0.contains("done")
            }
            #expect(!settled.isEmpty)
            let after = try #require(residentKilobytes(pid))
            #expect(after < before + 64 * 1024, "resident memory grew from \(before) kB to \(after) kB")
            print("StudioTmuxTests: resident memory \(before) kB before 10 000 slider changes, \(after) kB after")

            // Still answering at once.
            try studio.sendKeys("Right")
            try studio.waitFor("one more notch", timeout: .seconds(5)) { StudioUnderTest.yawRow($0).contains(" 1°") }
            try studio.sendKeys("q")
            try studio.waitFor("the quit question") { $0.contains("unsaved") || $0.contains("save") }
            try studio.sendKeys("n")
            try studio.waitForExit()
        }
    }
}
