import PoseEngine

/// Carries render requests from the UI thread to the SamplerActor and its frames back into a
/// RenderInbox. Requests queue newest-only, and one driver submits them in order, so a burst
/// of slider moves renders the last position only (each submit also ends the previous one).
final class RenderPipeline: Sendable {
    private struct Request: Sendable {
        var generation: Int
        var settings: StudioSettings
        var mayResume: Bool
    }

    let inbox = RenderInbox()
    private let sampler: SamplerActor
    private let requests: AsyncStream<Request>.Continuation
    private let driver: Task<Void, Never>

    init(sampler: SamplerActor) {
        self.sampler = sampler
        let (stream, continuation) = AsyncStream.makeStream(of: Request.self, bufferingPolicy: .bufferingNewest(1))
        requests = continuation
        let inbox = self.inbox
        driver = Task {
            for await request in stream {
                do {
                    let frames = try await sampler.submit(request.settings, mayResume: request.mayResume)
                    Task {
                        do {
                            for try await frame in frames { inbox.post(frame, generation: request.generation) }
                        } catch {
                            inbox.fail("\(error)", generation: request.generation)
                        }
                    }
                } catch {
                    inbox.fail("\(error)", generation: request.generation)
                }
            }
        }
    }

    deinit {
        requests.finish()
        driver.cancel()
    }

    /// Takes no more requests and waits until the sampler has stopped: call before the process
    /// exits, so no render is still inside OpenBLAS when its exit handlers free its buffers.
    func shutDown() async {
        requests.finish()
        await driver.value
        await sampler.stop()
    }

    /// Renders `settings` as request `generation`, dropping whatever came before; `mayResume`
    /// false renders from noise even after a nudge.
    func render(_ settings: StudioSettings, generation: Int, mayResume: Bool = true) {
        inbox.expect(generation: generation)
        requests.yield(Request(generation: generation, settings: settings, mayResume: mayResume))
    }

    /// Renders every frame of a sweep in turn, posting each finished picture. Each frame renders
    /// from noise, never resuming its neighbour's trajectory, so the frames are those `posestudio
    /// sweep` makes. Returns the task: cancelling it (or any newer render) stops the sweep.
    func renderSweep(_ frames: [StudioSettings], generation: Int) -> Task<Void, Never> {
        inbox.expect(generation: generation)
        let (sampler, inbox) = (self.sampler, self.inbox)
        return Task {
            for (index, settings) in frames.enumerated() {
                guard !Task.isCancelled else { return }
                do {
                    var finished: Frame?
                    for try await frame in try await sampler.submit(settings, mayResume: false) where frame.isFinal { finished = frame }
                    // No final frame: a newer render took the sampler over.
                    guard let finished else { return }
                    inbox.postSweepFrame(finished.image, index: index)
                } catch {
                    inbox.fail("sweep frame \(index + 1): \(error)", generation: generation)
                    return
                }
            }
        }
    }
}
