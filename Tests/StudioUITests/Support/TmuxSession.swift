import Foundation

/// A detached tmux session on a private server socket, driven like a user would: send keys,
/// read the screen with capture-pane.
final class TmuxSession {
    static var tmuxPath: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    enum Failure: Error, CustomStringConvertible {
        case noTmux
        case command([String], status: Int32, output: String)
        case timeout(waitingFor: String, screen: String)
        case terminal(String, error: String)

        var description: String {
            switch self {
            case .noTmux: return "tmux is not installed"
            case .command(let arguments, let status, let output): return "tmux \(arguments.joined(separator: " ")) exited \(status): \(output)"
            case .timeout(let what, let screen): return "timed out waiting for \(what); the screen was:\n\(screen)"
            case .terminal(let tty, let error): return "could not resize \(tty): \(error)"
            }
        }
    }

    private let socket = "posestudio-test-\(UUID().uuidString.prefix(8))"
    private let name = "studio"
    private let tmux: String

    /// Starts `command` (an argument list, run without a shell) in a `columns` x `rows` pane.
    init(command: [String], columns: Int, rows: Int, environment: [String: String] = [:]) throws {
        guard let tmux = Self.tmuxPath else { throw Failure.noTmux }
        self.tmux = tmux
        let env = environment.flatMap { ["-e", "\($0.key)=\($0.value)"] }
        try run(["-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)"] + env + command)
    }

    deinit {
        _ = try? run(["kill-server"])
    }

    func sendKeys(_ keys: String...) throws {
        try sendKeys(contentsOf: keys)
    }

    func sendKeys(contentsOf keys: [String]) throws {
        try run(["send-keys", "-t", name] + keys)
    }

    /// Resizes the window, and the pane with it, as a user resizing their terminal would. tmux
    /// hands pane sizes on at its own pace (a burst of resizes reaches the program as one
    /// SIGWINCH), so this settles on a size; `resizeBehindTmux` makes storms.
    func resize(columns: Int, rows: Int) throws {
        try run(["resize-window", "-t", name, "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// Sets the size of the pane's terminal on its tty directly, one size after another with
    /// `pause` seconds between them: the kernel raises SIGWINCH in the program at every change,
    /// none held back by tmux. tmux does not hear of these sizes and keeps its screen as it was
    /// until the next `resize(columns:rows:)` to a size other than its own.
    func resizeBehindTmux(through sizes: [(columns: Int, rows: Int)], pause: TimeInterval = 0) throws {
        let tty = try format("#{pane_tty}")
        let descriptor = open(tty, O_RDWR | O_NOCTTY)
        guard descriptor >= 0 else { throw Failure.terminal(tty, error: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        for size in sizes {
            var window = winsize(ws_row: UInt16(size.rows), ws_col: UInt16(size.columns), ws_xpixel: 0, ws_ypixel: 0)
            guard ioctl(descriptor, UInt(TIOCSWINSZ), &window) == 0 else {
                throw Failure.terminal(tty, error: String(cString: strerror(errno)))
            }
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
        }
    }

    /// The screen's text; with `escapes`, the colours as SGR sequences too; with `history`, the
    /// lines scrolled off the top as well.
    func capture(escapes: Bool = false, history: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []) + (history ? ["-S", "-"] : []))
    }

    /// The process id of the program in the pane.
    func panePID() throws -> Int32? {
        Int32(try format("#{pane_pid}"))
    }

    /// A tmux format expanded for the pane: its modes (`#{alternate_on}`, `#{cursor_flag}` ...).
    func format(_ format: String) throws -> String {
        try run(["display-message", "-p", "-t", name, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// True while the program in the pane runs (the session ends with it).
    var isRunning: Bool { (try? run(["has-session", "-t", name])) != nil }

    /// Polls the screen until `condition` holds, returning that screen.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(20), escapes: Bool = false,
                 _ condition: (String) -> Bool) throws -> String {
        let deadline = ContinuousClock.now + timeout
        var screen = ""
        while ContinuousClock.now < deadline {
            screen = (try? capture(escapes: escapes)) ?? ""
            if condition(screen) { return screen }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure.timeout(waitingFor: what, screen: screen)
    }

    func waitForExit(timeout: Duration = .seconds(10)) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !isRunning { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure.timeout(waitingFor: "the studio to exit", screen: (try? capture()) ?? "")
    }

    /// Runs tmux with posix_spawn and waitpid, its output going through a file: `new-session`
    /// forks the tmux server, which would inherit a pipe and hold it open for as long as it runs,
    /// and Foundation's `Process` was seen never to reap that client.
    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([tmux, "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, tmux, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure.command(arguments, status: -1, output: String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exitStatus = (status >> 8) & 0xFF
        guard status & 0x7F == 0, exitStatus == 0 else { throw Failure.command(arguments, status: exitStatus, output: text) }
        return text
    }
}
