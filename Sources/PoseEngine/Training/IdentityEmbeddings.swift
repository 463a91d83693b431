import Foundation

/// One face embedding per identity of the synthetic world: the mean of the
/// face encoder's embeddings of several random views (pose, style, light)
/// of that person, re-normalised. Face0 averages several images of a face the
/// same way; using views other than the training image keeps the face tokens
/// from carrying the image's pose.
public struct IdentityEmbeddings: Sendable {
    public let vectors: [[Float]]

    public init(vectors: [[Float]]) {
        self.vectors = vectors
    }

    /// Views are rendered at the face encoder's own image size, whatever the dataset's: the
    /// studio hands the encoder every face image at that size, so the projector must learn on
    /// embeddings made the same way.
    public static func compute(dataset: SynthDataset, encoder: FaceEncoder, views: Int, batch: Int = 64,
                               progress: (Int) -> Void = { _ in }) -> IdentityEmbeddings {
        encoder.setRequiresGradient(false)
        let size = encoder.config.imageSize
        var sums = [[Float]](repeating: [Float](repeating: 0, count: encoder.embeddingDim), count: dataset.identityCount)
        let jobs = (0..<dataset.identityCount).flatMap { identity in (0..<views).map { (identity, $0) } }
        for start in stride(from: 0, to: jobs.count, by: batch) {
            let chunk = Array(jobs[start..<min(start + batch, jobs.count)])
            let scenes = chunk.map { view(of: $0.0, number: $0.1, in: dataset) }
            let images = ParallelRendering.render(scenes, size: size, threads: ProcessInfo.processInfo.activeProcessorCount)
            let pixels = images.flatMap { $0.floats(layout: .channelsFirst, range: -1...1) }
            let embeddings = encoder.forward(Tensor(shape: [chunk.count, 3, size, size], scalars: pixels))
            let d = encoder.embeddingDim
            for (row, job) in chunk.enumerated() {
                for j in 0..<d { sums[job.0][j] += embeddings.scalars[row * d + j] }
            }
            progress(min(start + batch, jobs.count))
        }
        return IdentityEmbeddings(vectors: sums.map(normalized))
    }

    /// A random view of identity `identity`, reproducible from the dataset seed.
    static func view(of identity: Int, number: Int, in dataset: SynthDataset) -> SynthScene {
        var generator = SeededGenerator(seed: dataset.seed ^ 0x5EED_F00D_0000_0000 &+ UInt64(identity * 1009 + number))
        let styles = RenderStyle.allCases
        return SynthScene(identity: dataset.identity(identity), expression: Expression.random(using: &generator),
                          pose: HeadPose.random(using: &generator), setting: SceneSetting.random(using: &generator),
                          style: styles[Int(generator.next() % UInt64(styles.count))], textureSeed: generator.next())
    }

    static func normalized(_ v: [Float]) -> [Float] {
        let norm = max(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-8)
        return v.map { $0 / norm }
    }

    public var tensor: Tensor {
        Tensor(shape: [vectors.count, vectors.first?.count ?? 0], scalars: vectors.flatMap { $0 })
    }
}
