import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT, SIGTERM and SIGHUP into a flag the UI loop checks, so the studio saves and
/// restores the terminal instead of dying mid-screen. Owned by the UI thread.
final class TerminationSignals {
    private final class Flag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    private static let numbers = [SIGINT, SIGTERM, SIGHUP]
    private let flag = Flag()
    private var sources: [DispatchSourceSignal] = []

    init() {
        for number in Self.numbers {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [flag] in flag.raised.store(true, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
    }

    var requested: Bool { flag.raised.load(ordering: .relaxed) }

    /// Back to the default handlers, once the terminal is restored.
    func release() {
        sources.forEach { $0.cancel() }
        sources = []
        for number in Self.numbers { signal(number, SIG_DFL) }
    }
}
