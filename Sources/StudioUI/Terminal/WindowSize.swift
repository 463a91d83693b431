import Foundation

/// The terminal's size as the kernel keeps it (TIOCGWINSZ): cells, and pixels when the
/// terminal fills them in.
enum WindowSize {
    /// The size of the terminal on `fd`; nil when it is not a terminal or reports no cells.
    static func of(_ fd: Int32 = STDOUT_FILENO) -> winsize? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return nil }
        return size
    }
}
