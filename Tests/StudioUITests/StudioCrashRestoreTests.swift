import Foundation
import PoseEngine
import Testing

extension TerminalTests {
    /// Ctrl-C saves and gives the terminal back; so does dying of a fatal signal: cooked modes, the main
    /// screen, a visible cursor, no mouse reporting, and a line saying where the settings are. The
    /// runtime's backtracer runs without waiting for a key (`interactive=no`), as it would off a terminal.
    @Suite
    struct StudioCrashRestoreTests {
        /// The child processes of `pid` (the studio under the shell that runs it).
        private func children(of pid: Int32) -> [Int32] {
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0) }
        }

        /// The report's `stty -a` shows the modes a shell needs: line editing, echo, signals, and
        /// newline translation both ways.
        private func expectCookedModes(_ report: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let flags = Set(report.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "\n" }))
            let cooked: [Substring] = ["icanon", "echo", "isig", "icrnl", "opost", "onlcr"]
            #expect(cooked.allSatisfy { flags.contains($0) }, "cooked modes: \(report)", sourceLocation: sourceLocation)
        }

        /// The studio on a new session `name` in a new folder, run by a shell that afterwards records
        /// how it ended and the terminal's modes in `report`, then stays so the pane's own modes can
        /// be read. Returns once the first picture is done; the caller removes `folder`.
        private func startStudioUnderAShell(session name: String, environment: [String: String] = [:]) throws
            -> (studio: TmuxSession, folder: URL, session: URL, report: URL) {
            let model = try TinyModelFolder.url()
            var settings = StudioSettings()
            (settings.steps, settings.previewSteps) = (3, 2)
            let (folder, session) = try StudioUnderTest.sessionFolder(name, settings: settings)
            let report = folder.appendingPathComponent("after.txt")
            let script = #""$0" --model "$1" --session "$2" --graphics blocks; echo "status=$?" > "$3"; stty -a >> "$3"; sleep 60"#
            let studio = try TmuxSession(command: ["/bin/sh", "-c", script, StudioUnderTest.executable.path, model.path, session.path, report.path],
                                         columns: 160, rows: 30,
                                         environment: ["LANG": "C.UTF-8", "SWIFT_BACKTRACE": "interactive=no"].merging(environment) { $1 })
            try studio.waitFor("the studio's first picture") { $0.contains("done") }
            return (studio, folder, session, report)
        }

        /// Moves yaw (selected at start) one notch and waits until the studio marks it unsaved.
        private func makeAnUnsavedEdit(_ studio: TmuxSession) throws {
            try studio.sendKeys("Right")
            try studio.waitFor("the unsaved edit") { $0.contains("[+]") }
        }

        /// Presses q with an unsaved edit and waits for the question.
        private func askToQuit(_ studio: TmuxSession) throws {
            try studio.sendKeys("q")
            try studio.waitFor("the question") { $0.contains("y save and quit") }
        }

        /// Waits for the shell's report, then returns it.
        private func reportAfterTheStudio(_ studio: TmuxSession, _ report: URL) throws -> String {
            try studio.waitFor("the shell after the studio") { _ in
                ((try? String(contentsOf: report, encoding: .utf8)) ?? "").contains("speed")
            }
            return try String(contentsOf: report, encoding: .utf8)
        }

        @Test(arguments: [SIGSEGV, SIGABRT])
        func aFatalSignalRestoresTheTerminal(signal: Int32) throws {
            try StudioUnderTest.requireExecutable()
            let (studio, folder, _, report) = try startStudioUnderAShell(session: "crash.json")
            defer { try? FileManager.default.removeItem(at: folder) }
            #expect(try studio.format("#{alternate_on} #{mouse_any_flag}") == "1 1", "curses holds the terminal")

            let shell = try #require(try studio.panePID())
            let pid = try #require(children(of: shell).first)
            kill(pid, signal)
            let after = try reportAfterTheStudio(studio, report)
            #expect(after.hasPrefix("status=\(128 + signal)\n"), "the studio died of the signal itself: \(after.prefix(12))")
            expectCookedModes(after)
            #expect(try studio.format("#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{keypad_cursor_flag}") == "0 1 0 0")
            // The farewell, then the runtime's backtrace (the handler from before still runs).
            let screen = try studio.capture(history: true)
            let farewell = try #require(screen.range(of: "the terminal was restored"), "\(screen)")
            #expect(screen[farewell.upperBound...].contains("crash.json"))
            #expect(screen[farewell.upperBound...].contains("Thread 0"), "the backtrace follows the farewell")
        }

        @Test func ctrlCSavesTheEditAndRestoresTheTerminal() throws {
            try StudioUnderTest.requireExecutable()
            let (studio, folder, session, report) = try startStudioUnderAShell(session: "interrupted.json")
            defer { try? FileManager.default.removeItem(at: folder) }
            // Interrupt well before the autosave would run.
            try makeAnUnsavedEdit(studio)
            try studio.sendKeys("C-c")
            let after = try reportAfterTheStudio(studio, report)
            #expect(after.hasPrefix("status=0\n"), "\(after.prefix(12))")
            expectCookedModes(after)
            #expect(try studio.format("#{alternate_on} #{cursor_flag} #{mouse_any_flag}") == "0 1 0")
            let saved = try SessionFile.open(session).session
            #expect(saved.settings.targets.value(.yaw) == 1, "the edit made just before Ctrl-C is in the file")
        }

        /// A studio whose session folder is gone, asked to save and quit after an edit, with its
        /// recovery file under `stateHome`; the caller removes `folder`.
        private func failingASave(stateHome: URL) throws -> (studio: TmuxSession, folder: URL, report: URL) {
            let (studio, folder, session, report) = try startStudioUnderAShell(session: "gone/kept.json",
                                                                               environment: ["XDG_STATE_HOME": stateHome.path])
            try FileManager.default.removeItem(at: session.deletingLastPathComponent())
            try makeAnUnsavedEdit(studio)
            try askToQuit(studio)
            try studio.sendKeys("y")
            return (studio, folder, report)
        }

        /// Saving and quitting when the save fails keeps the studio open; Ctrl-C then quits and
        /// keeps the edits in the recovery file, and says where.
        @Test func aFailedSaveKeepsTheStudioOpenAndCtrlCKeepsTheWork() throws {
            try StudioUnderTest.requireExecutable()
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-state-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: state) }
            let (studio, folder, report) = try failingASave(stateHome: state)
            defer { try? FileManager.default.removeItem(at: folder) }
            try studio.waitFor("the failed save") { $0.contains("not saved · kept in \(state.path)") }
            try studio.sendKeys("Right")
            try studio.waitFor("the studio still taking keys") { StudioUnderTest.yawRow($0).contains("2°") }
            #expect(!FileManager.default.fileExists(atPath: report.path), "the studio did not quit")

            try studio.sendKeys("C-c")
            let after = try reportAfterTheStudio(studio, report)
            #expect(after.hasPrefix("status=0\n"), "\(after.prefix(12))")
            let recovery = state.appendingPathComponent("posestudio/autosave.json")
            #expect(try SessionFile.open(recovery).session.settings.targets.value(.yaw) == 2)
            #expect(try studio.capture(history: true).contains("unsaved settings kept in \(recovery.path)"))
        }

        /// When the edits can be kept nowhere, the message promises no place, and Ctrl-C quits
        /// with a failure status that says they were lost.
        @Test func editsThatCanBeKeptNowhereAreNotPromisedAPlace() throws {
            try StudioUnderTest.requireExecutable()
            // A file where the state folder should be: no recovery file can be made under it.
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-state-\(UUID().uuidString)")
            try Data().write(to: state)
            defer { try? FileManager.default.removeItem(at: state) }
            let (studio, folder, report) = try failingASave(stateHome: state)
            defer { try? FileManager.default.removeItem(at: folder) }
            try studio.waitFor("the failed save") { $0.contains("not saved · S saves it as another file") }
            #expect(!(try studio.capture()).contains("· kept in"))
            try studio.sendKeys("C-c")
            let after = try reportAfterTheStudio(studio, report)
            #expect(after.hasPrefix("status=1\n"), "\(after.prefix(12))")
            #expect(try studio.capture(history: true).contains("posestudio: could not keep the unsaved settings in"))
        }

        /// While quit asks whether to save, autosave waits, so "quit without saving" leaves the file as it was.
        @Test func quittingWithoutSavingLeavesTheFileAsItWas() throws {
            try StudioUnderTest.requireExecutable()
            let (studio, folder, session, report) = try startStudioUnderAShell(session: "unchanged.json")
            defer { try? FileManager.default.removeItem(at: folder) }
            try makeAnUnsavedEdit(studio)
            try askToQuit(studio)
            Thread.sleep(forTimeInterval: 6.5)  // past the autosave delay of 5 s
            try studio.sendKeys("n")
            _ = try reportAfterTheStudio(studio, report)
            #expect(try SessionFile.open(session).session.settings.targets.value(.yaw) == 0)
        }
    }
}
