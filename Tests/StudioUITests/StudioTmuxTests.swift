import Foundation
import ImageFiles
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
            let saved = try SessionFile.open(sessionURL).session
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

        /// Tab completes a face path as a shell would, with names in a script whose characters
        /// take two cells: the matches are listed three cells after the cursor, and the
        /// completed face is set and saved.
        @Test func tabCompletesAFacePathWithWideCharacters() throws {
            try StudioUnderTest.requireExecutable()
            let model = try TinyModelFolder.url()
            var settings = StudioSettings()
            (settings.steps, settings.previewSteps) = (4, 2)
            let (folder, sessionURL) = try StudioUnderTest.sessionFolder("faces.json", settings: settings)
            defer { try? FileManager.default.removeItem(at: folder) }
            let faces = folder.appendingPathComponent("faces")
            try FileManager.default.createDirectory(at: faces, withIntermediateDirectories: true)
            let renders = SynthDataset(seed: 3, imageSize: 32, identityCount: 2).samples(0..<2, threads: 1)
            for (name, sample) in zip(["顔-alpha.png", "顔-beta.png"], renders) {
                try RGBImage(width: sample.image.width, height: sample.image.height, pixels: sample.image.pixels)
                    .writePNG(to: faces.appendingPathComponent(name).path)
            }

            // Wide enough for the prompt, the long temporary path and the list of matches.
            let studio = try StudioUnderTest.start(model: model, session: sessionURL, columns: 200, rows: 40)
            try studio.waitFor("the first finished picture") { $0.contains("done") }
            // A path with no file is refused and leaves the face as it was.
            try studio.sendKeys("f")
            try studio.waitFor("the face prompt") { $0.contains("face A (image path") }
            try studio.sendKeys(faces.path + "/none.png", "Enter")
            try studio.waitFor("the refusal") { $0.contains("face A unchanged · no image file at \(faces.path)/none.png") }
            try studio.sendKeys("f")
            try studio.waitFor("the face prompt") { $0.contains("face A (image path") }
            try studio.sendKeys(faces.path + "/顔", "Tab")
            let listed = try studio.waitFor("both matches listed") { $0.contains("2 matches:") }
            #expect(listed.contains("/顔-█   2 matches: 顔-alpha.png  顔-beta.png"), "\(listed)")

            try studio.sendKeys("a", "Tab")
            try studio.waitFor("the completed name") { $0.contains("/顔-alpha.png█") }
            try studio.sendKeys("Enter")
            try studio.waitFor("face A set") { $0.contains("顔-alpha.png") && !$0.contains("face A (image path") && $0.contains("done") }
            try studio.sendKeys("s")
            try studio.waitFor("the save") { $0.contains("saved") }
            try studio.sendKeys("q")
            try studio.waitForExit()
            let saved = try SessionFile.open(sessionURL).session
            #expect(saved.settings.face == .images(paths: [faces.appendingPathComponent("顔-alpha.png").path]))
        }

        @Test func aLocaleWithoutUTF8IsNamedInTheStatusBar() throws {
            try StudioUnderTest.requireExecutable()
            let model = try TinyModelFolder.url()
            var settings = StudioSettings()
            (settings.steps, settings.previewSteps) = (2, 1)
            let (folder, sessionURL) = try StudioUnderTest.sessionFolder("ascii.json", settings: settings)
            defer { try? FileManager.default.removeItem(at: folder) }
            let studio = try StudioUnderTest.start(model: model, session: sessionURL, columns: 120, rows: 40, locale: "C")
            let screen = try studio.waitFor("the locale warning") { $0.contains("is not UTF-8") }
            #expect(screen.contains("try LC_ALL=C.UTF-8"), "LC_ALL is set, so it is the one to change")
            try studio.sendKeys("q")
            try studio.waitForExit()
        }
    }
}
