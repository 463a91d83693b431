import Dispatch
import Synchronization

/// Splits element-wise work across the cores. Only loops over independent
/// slices (each writes memory no other slice touches) are handed here; small
/// ones stay on the calling thread, where a dispatch would cost more than it saves.
public enum Parallel {
    /// Work items below this (roughly, scalar operations) run serially.
    public static let minimumWork = 1 << 15

    /// Off makes every loop serial. Results are identical either way (each slice
    /// is computed by one thread in the same order), which the tests check.
    public static let isEnabled = Atomic<Bool>(true)

    /// Calls `body` on contiguous sub-ranges of `0..<count` that together cover it.
    /// `work` estimates the total cost, to decide whether to split at all.
    public static func forEachChunk(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let lanes = BLAS.lanes
        guard lanes > 1, count > 1, work >= minimumWork, isEnabled.load(ordering: .relaxed) else {
            body(0..<count)
            return
        }
        let parts = min(lanes, count)
        let size = (count + parts - 1) / parts
        // The slices are disjoint and the call returns only when all are done,
        // so sharing the (non-Sendable) body and what it captures is safe.
        nonisolated(unsafe) let shared = body
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let start = part * size
            if start < count { shared(start..<min(start + size, count)) }
        }
    }
}
