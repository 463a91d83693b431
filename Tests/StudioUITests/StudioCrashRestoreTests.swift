import Foundation
import PoseEngine
import Testing

/// The studio dying of a fatal signal still gives the terminal back: cooked modes, the main
/// screen, a visible cursor, no mouse reporting, and a line saying where the settings are. The
/// runtime's backtracer runs without waiting for a key (`interactive=no`), as it would off a terminal.
@Suite(.enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed: the studio's terminal test needs it"))
struct StudioCrashRestoreTests {
    private var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("posestudio")
    }

    /// The child processes of `pid` (the studio under the shell that runs it).
    private func children(of pid: Int32) -> [Int32] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { Int32($0) }
    }

    /// The words of `stty -a` (flags such as `icanon` or `-echo`).
    private func sttyFlags(_ text: Substring) -> Set<Substring> {
        Set(text.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "\n" }))
    }

    @Test(arguments: [SIGSEGV, SIGABRT])
    func aFatalSignalRestoresTheTerminal(signal: Int32) throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let model = try TinyModelFolder.url()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = folder.appendingPathComponent("crash.json")
        var settings = StudioSettings()
        (settings.steps, settings.previewSteps) = (3, 2)
        try SessionFile(settings: settings).save(to: session)
        let report = folder.appendingPathComponent("after.txt")

        // A shell runs the studio, then records how it ended and the terminal's modes, then
        // stays so the pane's own modes can be read.
        let script = #""$0" --model "$1" --session "$2" --graphics blocks; echo "status=$?" > "$3"; stty -a >> "$3"; sleep 60"#
        let studio = try TmuxSession(command: ["/bin/sh", "-c", script, executable.path, model.path, session.path, report.path],
                                     columns: 160, rows: 30, environment: ["LANG": "C.UTF-8", "SWIFT_BACKTRACE": "interactive=no"])
        try studio.waitFor("the studio's first picture") { $0.contains("done") }
        #expect(try studio.format("#{alternate_on} #{mouse_any_flag}") == "1 1", "curses holds the terminal")

        let shell = try #require(try studio.panePID())
        let pid = try #require(children(of: shell).first)
        kill(pid, signal)
        try studio.waitFor("the shell after the studio") { _ in
            ((try? String(contentsOf: report, encoding: .utf8)) ?? "").contains("speed")
        }
        let after = try String(contentsOf: report, encoding: .utf8)
        #expect(after.hasPrefix("status=\(128 + signal)\n"), "the studio died of the signal itself: \(after.prefix(12))")
        let flags = sttyFlags(after.dropFirst())
        #expect(["icanon", "echo", "isig", "icrnl", "opost", "onlcr"].allSatisfy { flags.contains($0) }, "cooked modes: \(after)")
        #expect(try studio.format("#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{keypad_cursor_flag}") == "0 1 0 0")
        // The farewell, then the runtime's backtrace (the handler from before still runs).
        let screen = try studio.capture(history: true)
        let farewell = try #require(screen.range(of: "the terminal was restored"), "\(screen)")
        #expect(screen[farewell.upperBound...].contains("crash.json"))
        #expect(screen[farewell.upperBound...].contains("Thread 0"), "the backtrace follows the farewell")
    }
}
