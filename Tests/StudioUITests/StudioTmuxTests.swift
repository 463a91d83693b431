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

    private func startStudio(model: URL, session: URL) throws -> TmuxSession {
        try TmuxSession(command: [executable.path, "--model", model.path, "--session", session.path, "--graphics", "blocks"],
                        columns: 120, rows: 40, environment: ["COLORTERM": "truecolor", "LANG": "C.UTF-8"])
    }

    @Test func yawMovesWithKeysChangesThePictureAndSurvivesSaveAndReopen() throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let model = try TinyModelFolder.url()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sessionURL = folder.appendingPathComponent("pose.json")
        var settings = StudioSettings()
        (settings.steps, settings.previewSteps, settings.seed, settings.guidance) = (4, 2, 7, 200)
        settings.targets.steer(.yaw, to: 0)
        try SessionFile(settings: settings).save(to: sessionURL)

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
}
