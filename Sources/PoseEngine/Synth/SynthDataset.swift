import Foundation

/// An endless, seeded stream of labelled synthetic heads. Sample i depends only on the seed and
/// i: the same seed gives the same pictures and labels on any machine and any thread count.
///
/// People come from a pool of `identityCount` identities, so each person appears in many poses
/// and styles (what identity conditioning and identity metrics need).
public struct SynthDataset: Sendable {
    public let seed: UInt64
    public let imageSize: Int
    public let identityCount: Int

    public init(seed: UInt64, imageSize: Int, identityCount: Int) {
        precondition(imageSize > 0 && identityCount > 0, "a dataset needs a positive image size and identity count")
        self.seed = seed
        self.imageSize = imageSize
        self.identityCount = identityCount
    }

    /// Person `index` of the pool.
    public func identity(_ index: Int) -> HeadIdentity {
        var generator = SeededGenerator(seed: SeedMixing.seed(seed, .identity, index))
        return HeadIdentity.random(using: &generator)
    }

    /// Everything about sample `index` except its pixels.
    public func spec(_ index: Int) -> SynthSampleSpec {
        var generator = SeededGenerator(seed: SeedMixing.seed(seed, .sample, index))
        let identityIndex = Int(generator.next() % UInt64(identityCount))
        let identity = self.identity(identityIndex)
        let expression = Expression.random(using: &generator)
        let pose = HeadPose.random(using: &generator).quantized
        let setting = SceneSetting.random(using: &generator)
        let styles = RenderStyle.allCases
        let style = styles[Int(generator.next() % UInt64(styles.count))]
        let scene = SynthScene(identity: identity, expression: expression, pose: pose, setting: setting,
                               style: style, textureSeed: SeedMixing.seed(seed, .texture, index))
        return SynthSampleSpec(index: index, identityIndex: identityIndex, scene: scene,
                               prompt: PromptVocabulary.prompt(identity: identity, expression: expression, style: style))
    }

    /// Samples `indices`, rendered on up to `threads` threads (default: every core).
    public func samples(_ indices: Range<Int>, threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [SynthSample] {
        let specs = indices.map(spec)
        let images = ParallelRendering.render(specs.map(\.scene), size: imageSize, threads: threads)
        return zip(specs, images).map { SynthSample(spec: $0, image: $1) }
    }

    /// Samples from `start` on, rendered in parallel chunks of `chunk` as they are consumed.
    public func makeIterator(startingAt start: Int = 0, chunk: Int = 64) -> SynthSampleIterator {
        SynthSampleIterator(dataset: self, next: start, chunk: max(1, chunk))
    }
}

/// Hands out a dataset's samples one by one or in batches; never ends.
public struct SynthSampleIterator: IteratorProtocol, Sequence, Sendable {
    public let dataset: SynthDataset
    private var nextIndex: Int
    private let chunk: Int
    private var ready: [SynthSample] = []

    init(dataset: SynthDataset, next: Int, chunk: Int) {
        self.dataset = dataset
        self.nextIndex = next
        self.chunk = chunk
    }

    public mutating func next() -> SynthSample? {
        if ready.isEmpty {
            ready = dataset.samples(nextIndex..<(nextIndex + chunk)).reversed()
            nextIndex += chunk
        }
        return ready.popLast()
    }

    /// The next `count` samples.
    public mutating func nextBatch(_ count: Int) -> [SynthSample] {
        (0..<Swift.max(0, count)).compactMap { _ in next() }
    }
}
