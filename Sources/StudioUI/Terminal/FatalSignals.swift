import CNcursesw
import Foundation

/// Gives the terminal back when the studio dies of a fatal signal (a crash, an abort, a Swift
/// runtime trap). Curses leaves the terminal in raw mode on the alternate screen with the cursor
/// hidden and mouse reporting on; dying like that leaves the user's shell unusable.
///
/// A signal handler may only call async-signal-safe functions, so everything it needs is made
/// ready while the studio starts: the terminal modes from before curses and the bytes that undo
/// curses' screen state. The handler writes those bytes, restores the modes and says where the
/// last autosave went, then calls the handler from before (Swift's backtracer, which now prints
/// on a usable terminal) and dies of the same signal, so the exit status tells the truth even
/// when that handler returns (as it does for a signal sent with kill).
enum FatalSignals {
    /// SIGILL and SIGTRAP are how Swift's runtime traps (a failed precondition, an overflow) end.
    static let numbers = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// The terminal modes now, before curses changes them.
    static func currentModes() -> termios? {
        var modes = termios()
        return tcgetattr(STDIN_FILENO, &modes) == 0 ? modes : nil
    }

    /// Installs the handlers. Call after curses started (its terminfo strings are read here).
    static func arm(restoring modes: termios?, autosave: String?) {
        fatalSignalRestoration.modes = modes
        tell(autosave: autosave)
        installAlternateStack()
        let previous = fatalSignalRestoration.previous ?? {
            let table = UnsafeMutablePointer<sigaction>.allocate(capacity: Int(NSIG))
            table.initialize(repeating: sigaction(), count: Int(NSIG))
            return table
        }()
        for number in numbers {
            install(handler, for: number, flags: Int32(SA_ONSTACK | SA_SIGINFO), keepingOld: previous + Int(number))
        }
        fatalSignalRestoration.previous = previous
    }

    /// Names the file that holds the last autosaved settings in the farewell line. Called again
    /// when the session gets a new file.
    static func tell(autosave: String?) {
        var bytes = [UInt8]()
        for capability in ["sgr0", "cnorm", "rmkx", "rmcup"] { bytes += terminfoString(capability) }
        // Mouse reporting off in every mode curses may have turned on; terminals without mouse
        // reporting ignore DEC private modes they do not know.
        bytes += Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l\r\n".utf8)
        bytes += Array("posestudio stopped on a fatal signal; the terminal was restored.\r\n".utf8)
        if let autosave { bytes += Array("The last autosaved settings are in \(autosave)\r\n".utf8) }
        let stored = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = stored.initialize(from: bytes)
        // The previous buffer is left allocated on purpose: a handler running right now may be
        // reading it.
        fatalSignalRestoration.bytes = UnsafeBufferPointer(stored)
    }

    /// Back to the handlers from before once curses has restored the terminal itself.
    static func disarm() {
        guard let previous = fatalSignalRestoration.previous else { return }
        for number in numbers { sigaction(number, previous + Int(number), nil) }
    }

    /// A terminfo string capability of the current terminal, empty when it has none.
    private static func terminfoString(_ name: String) -> [UInt8] {
        guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { return [] }
        return Array(String(cString: value).utf8)
    }

    /// A stack of its own for the handler on the UI thread, so a stack overflow there can still
    /// be handled.
    private static func installAlternateStack() {
        guard fatalSignalRestoration.alternateStack == nil else { return }
        // Room for the backtracer that runs after the restore, too.
        let size = 1 << 18
        guard let memory = malloc(size) else { return }
        var stack = stack_t()
        stack.ss_sp = memory
        stack.ss_size = size
        stack.ss_flags = 0
        if sigaltstack(&stack, nil) == 0 { fatalSignalRestoration.alternateStack = memory } else { free(memory) }
    }

    typealias Handler = @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void

    private static func install(_ handler: Handler, for number: Int32, flags: Int32,
                                keepingOld old: UnsafeMutablePointer<sigaction>) {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_sigaction = handler
        #else
        action.__sigaction_u.__sa_sigaction = handler
        #endif
        action.sa_flags = flags
        sigemptyset(&action.sa_mask)
        sigaction(number, &action, old)
    }

    /// Only async-signal-safe calls from here on: write, tcsetattr, sigaction, raise, and the
    /// handler from before (which was written to run in a signal handler).
    private static let handler: Handler = { number, info, context in
        let restoration = fatalSignalRestoration
        if let bytes = restoration.bytes, let base = bytes.baseAddress {
            var offset = 0
            while offset < bytes.count {
                let written = write(STDOUT_FILENO, base + offset, bytes.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        if var modes = restoration.modes { tcsetattr(STDIN_FILENO, TCSANOW, &modes) }
        if let previous = restoration.previous { callPrevious(previous[Int(number)], number, info, context) }
        // Blocked while this handler runs: delivered, with the default action, once it returns.
        signal(number, SIG_DFL)
        raise(number)
    }

    /// Runs a handler saved from before, unless it was the default action or "ignore".
    private static func callPrevious(_ action: sigaction, _ number: Int32, _ info: UnsafeMutablePointer<siginfo_t>?,
                                     _ context: UnsafeMutableRawPointer?) {
        #if canImport(Glibc)
        let function = action.__sigaction_handler.sa_sigaction
        #else
        let function = action.__sigaction_u.__sa_sigaction
        #endif
        let address = unsafeBitCast(function, to: Int.self)
        guard address != 0, address != Int(bitPattern: unsafeBitCast(SIG_IGN, to: UnsafeRawPointer?.self)) else { return }
        if action.sa_flags & Int32(SA_SIGINFO) != 0 {
            function?(number, info, context)
        } else {
            unsafeBitCast(function, to: (@convention(c) (Int32) -> Void).self)(number)
        }
    }
}

/// What the fatal-signal handler reads, in one variable: Swift initializes globals lazily, and
/// a first touch from inside a signal handler must find nothing left to initialize. Written
/// while the studio starts (and when the session is renamed), only read by the handler.
private struct FatalSignalRestoration {
    var bytes: UnsafeBufferPointer<UInt8>?
    var modes: termios?
    var alternateStack: UnsafeMutableRawPointer?
    /// The handlers from before, indexed by signal number.
    var previous: UnsafeMutablePointer<sigaction>?
}

private nonisolated(unsafe) var fatalSignalRestoration = FatalSignalRestoration()
