import PoseEngine
import Synchronization

/// Where renders land for the UI thread to pick up between key polls. Only the newest live
/// frame of the newest request is kept: a picture that has been overtaken is never drawn.
final class RenderInbox: Sendable {
    struct Contents {
        var generation = 0
        var liveFrame: Frame?
        var sweepFrames: [(index: Int, image: SynthImage)] = []
        var failure: String?
    }

    private let contents = Mutex(Contents())

    /// A new request was made: frames of older ones are dropped from now on.
    func expect(generation: Int) {
        contents.withLock {
            $0.generation = generation
            $0.liveFrame = nil
        }
    }

    func post(_ frame: Frame, generation: Int) {
        contents.withLock { if generation == $0.generation { $0.liveFrame = frame } }
    }

    func postSweepFrame(_ image: SynthImage, index: Int) {
        contents.withLock { $0.sweepFrames.append((index, image)) }
    }

    func fail(_ message: String, generation: Int) {
        contents.withLock { if generation == $0.generation { $0.failure = message } }
    }

    /// Everything that arrived since the last call.
    func take() -> Contents {
        contents.withLock { inbox in
            let taken = inbox
            inbox.liveFrame = nil
            inbox.sweepFrames = []
            inbox.failure = nil
            return taken
        }
    }
}
