import Foundation

/// Renders many scenes on several threads, one renderer per thread. Each scene's pixels depend
/// only on the scene, so the result is the same for any thread count.
enum ParallelRendering {
    static func render(_ scenes: [SynthScene], size: Int, threads: Int) -> [SynthImage] {
        let results = ResultSlots(count: scenes.count)
        let workers = max(1, min(threads, scenes.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var renderer = HeadRenderer(size: size)
            for index in stride(from: worker, to: scenes.count, by: workers) {
                results.store(renderer.render(scenes[index]), at: index)
            }
        }
        return results.images()
    }
}

/// One slot per scene; each slot is written by exactly one worker, then read after all finish.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [SynthImage?]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func store(_ image: SynthImage, at index: Int) {
        lock.withLock { slots[index] = image }
    }

    func images() -> [SynthImage] {
        lock.withLock { slots.compactMap { $0 } }
    }
}
