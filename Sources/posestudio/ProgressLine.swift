import Foundation

/// Progress on standard error: one line rewritten in place on a terminal, one line per update
/// when standard error goes to a file or a pipe (where carriage returns would run them together).
enum ProgressLine {
    static func show(_ line: String) {
        // On a terminal: back to the line's start, then clear what a longer line left behind.
        let text = isatty(STDERR_FILENO) == 1 ? "\r\u{1B}[K" + line : line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Ends a run of progress lines.
    static func end() {
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
