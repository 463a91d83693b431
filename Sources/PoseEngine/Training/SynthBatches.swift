/// Deterministic training batches from the synthetic world: batch `i` is
/// always the same samples, so a resumed run sees exactly what it would have.
public struct SynthBatches: Sendable {
    public let dataset: SynthDataset
    public let batchSize: Int

    public init(seed: UInt64, imageSize: Int, identityCount: Int, batchSize: Int) {
        dataset = SynthDataset(seed: seed, imageSize: imageSize, identityCount: identityCount)
        self.batchSize = batchSize
    }

    public func batch(_ index: Int) -> SynthBatch {
        SynthBatch(dataset.samples((index * batchSize)..<((index + 1) * batchSize)))
    }
}
