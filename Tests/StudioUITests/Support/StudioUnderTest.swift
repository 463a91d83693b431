import Foundation
import PoseEngine
import Testing

/// What the terminal tests share: the posestudio binary built beside them, a session file in a
/// folder of its own, and the control panel read off a captured screen.
enum StudioUnderTest {
    /// The posestudio executable `swift build` puts beside the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("posestudio")
    }

    /// Stops the test with a clear reason when the executable has not been built.
    static func requireExecutable(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)",
                     sourceLocation: sourceLocation)
    }

    /// A new folder holding a session file `name` (which may name a subfolder) with `settings`;
    /// the caller removes the folder.
    static func sessionFolder(_ name: String, settings: StudioSettings) throws -> (folder: URL, session: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-tmux-\(UUID().uuidString)")
        let session = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: session.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SessionFile(settings: settings).save(to: session)
        return (folder, session)
    }

    /// The studio on `model` and `session` in a `columns` x `rows` tmux pane, drawing its
    /// pictures as half blocks in 24-bit colour (their colours show in a capture), in a UTF-8
    /// locale unless `locale` names another.
    static func start(model: URL, session: URL, columns: Int, rows: Int, locale: String = "C.UTF-8") throws -> TmuxSession {
        try TmuxSession(command: [executable.path, "--model", model.path, "--session", session.path, "--graphics", "blocks"],
                        columns: columns, rows: rows, environment: ["COLORTERM": "truecolor", "LANG": locale, "LC_ALL": locale])
    }

    /// The yaw row of the control panel, empty when the screen has none.
    static func yawRow(_ screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains("yaw ") && $0.contains("━") }.map(String.init) ?? ""
    }
}
