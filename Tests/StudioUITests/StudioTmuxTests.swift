import Foundation
import PoseEngine
import Testing

/// The studio end to end in a real terminal (tmux): keys in, screen out, session file on disk.
@Suite(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed: the studio's terminal test needs it"))
struct StudioTmuxTests {
    private var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("posestudio")
    }

    /// The colours of the picture's half blocks (24-bit SGR), in screen order.
    private func picture(_ screen: String) -> [Substring] {
        screen.split(separator: "\u{1B}").filter { $0.hasPrefix("[38;2;") || $0.hasPrefix("[48;2;") }
    }

    /// The yaw row of the control panel.
    private func yawRow(_ screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains("yaw ") && $0.contains("━") }.map(String.init) ?? ""
    }

    /// A new folder holding a session file with `settings`; the caller removes the folder.
    private func sessionFolder(_ name: String, settings: StudioSettings) throws -> (folder: URL, session: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let session = folder.appendingPathComponent(name)
        try SessionFile(settings: settings).save(to: session)
        return (folder, session)
    }

    private func startStudio(model: URL, session: URL) throws -> TmuxSession {
        try TmuxSession(command: [executable.path, "--model", model.path, "--session", session.path, "--graphics", "blocks"],
                        columns: 120, rows: 40, environment: ["COLORTERM": "truecolor", "LANG": "C.UTF-8"])
    }

    @Test func yawMovesWithKeysChangesThePictureAndSurvivesSaveAndReopen() throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let model = try TinyModelFolder.url()
        var settings = StudioSettings()
        (settings.steps, settings.previewSteps, settings.seed, settings.guidance) = (4, 2, 7, 200)
        settings.targets.steer(.yaw, to: 0)
        let (folder, sessionURL) = try sessionFolder("pose.json", settings: settings)
        defer { try? FileManager.default.removeItem(at: folder) }

        let studio = try startStudio(model: model, session: sessionURL)
        let first = try studio.waitFor("the first finished picture", escapes: true) { $0.contains("done") && !picture($0).isEmpty }
        #expect(yawRow(first).contains(" 0°"))

        try studio.sendKeys("L", "L", "Right")
        let moved = try studio.waitFor("yaw at 31° and a new finished picture", escapes: true) {
            yawRow($0).contains(" 31°") && $0.contains("done") && picture($0) != picture(first)
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
        let screen = try reopened.waitFor("the reopened session") { $0.contains("pose.json") && yawRow($0).contains(" 31°") }
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
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let model = try TinyModelFolder.url()
        var settings = StudioSettings()
        (settings.steps, settings.previewSteps) = (4, 2)
        let (folder, sessionURL) = try sessionFolder("load.json", settings: settings)
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
            yawRow($0).contains(" 0°") && $0.contains("done")
        }
        #expect(!settled.isEmpty)
        let after = try #require(residentKilobytes(pid))
        #expect(after < before + 64 * 1024, "resident memory grew from \(before) kB to \(after) kB")
        print("StudioTmuxTests: resident memory \(before) kB before 10 000 slider changes, \(after) kB after")

        // Still answering at once.
        try studio.sendKeys("Right")
        try studio.waitFor("one more notch", timeout: .seconds(5)) { yawRow($0).contains(" 1°") }
        try studio.sendKeys("q")
        try studio.waitFor("the quit question") { $0.contains("unsaved") || $0.contains("save") }
        try studio.sendKeys("n")
        try studio.waitForExit()
    }
}
