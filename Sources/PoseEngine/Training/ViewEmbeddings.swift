import Foundation

/// The face encoder's embedding of each of several random views (pose, style,
/// light) of every identity of the synthetic world: `vectors[identity][view]`.
/// View `v` of identity `i` is the same scene for every encoder, so two
/// encoders' tables pair up picture by picture.
public struct ViewEmbeddings: Sendable {
    public let vectors: [[[Float]]]

    /// Views are rendered at the face encoder's own image size, whatever the dataset's: the
    /// studio hands the encoder every face image at that size, so whatever learns from these
    /// embeddings learns on embeddings made the same way.
    public static func compute(dataset: SynthDataset, encoder: FaceEncoder, views: Int, batch: Int = 64,
                               progress: (Int) -> Void = { _ in }) -> ViewEmbeddings {
        encoder.setRequiresGradient(false)
        let size = encoder.config.imageSize, d = encoder.embeddingDim
        var vectors = [[[Float]]](repeating: [[Float]](repeating: [], count: views), count: dataset.identityCount)
        let jobs = (0..<dataset.identityCount).flatMap { identity in (0..<views).map { (identity, $0) } }
        for start in stride(from: 0, to: jobs.count, by: batch) {
            let chunk = Array(jobs[start..<min(start + batch, jobs.count)])
            let scenes = chunk.map { view(of: $0.0, number: $0.1, in: dataset) }
            let images = ParallelRendering.render(scenes, size: size, threads: ProcessInfo.processInfo.activeProcessorCount)
            let pixels = images.flatMap { $0.floats(layout: .channelsFirst, range: -1...1) }
            let embeddings = encoder.forward(Tensor(shape: [chunk.count, 3, size, size], scalars: pixels))
            for (row, job) in chunk.enumerated() {
                vectors[job.0][job.1] = Array(embeddings.scalars[(row * d)..<((row + 1) * d)])
            }
            progress(min(start + batch, jobs.count))
        }
        return ViewEmbeddings(vectors: vectors)
    }

    /// A random view of identity `identity`, reproducible from the dataset seed.
    static func view(of identity: Int, number: Int, in dataset: SynthDataset) -> SynthScene {
        var generator = SeededGenerator(seed: dataset.seed ^ 0x5EED_F00D_0000_0000 &+ UInt64(identity * 1009 + number))
        let styles = RenderStyle.allCases
        return SynthScene(identity: dataset.identity(identity), expression: Expression.random(using: &generator),
                          pose: HeadPose.random(using: &generator), setting: SceneSetting.random(using: &generator),
                          style: styles[Int(generator.next() % UInt64(styles.count))], textureSeed: generator.next())
    }
}
