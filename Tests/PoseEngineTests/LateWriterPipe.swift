import Foundation

/// A named pipe whose write end a background thread opens after a delay. Code that wrongly
/// opens it for reading waits until then, so a test finds it slow instead of hanging forever.
enum LateWriterPipe {
    /// Makes the pipe at `path`, runs `body` and returns how long it took; the writer opens
    /// `delay` seconds after the start.
    static func timing(at path: String, delay: TimeInterval = 1, _ body: () throws -> Void) throws -> Duration {
        guard mkfifo(path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        let writerDone = DispatchSemaphore(value: 0)
        Thread {
            Thread.sleep(forTimeInterval: delay)
            let descriptor = open(path, O_WRONLY)  // waits for a reader: `body`'s, or the one below
            if descriptor >= 0 { close(descriptor) }
            writerDone.signal()
        }.start()
        let start = ContinuousClock.now
        defer {
            // A reader of our own releases the writer when `body` opened none.
            let reader = open(path, O_RDONLY | O_NONBLOCK)
            writerDone.wait()
            if reader >= 0 { close(reader) }
        }
        try body()
        return ContinuousClock.now - start
    }
}
