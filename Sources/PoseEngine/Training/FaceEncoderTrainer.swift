import Foundation

/// Trains the FaceEncoder with identity-balanced batches: P distinct people of
/// the synthetic world, each rendered K times under an independent random
/// pose, expression, style, background and light, so the only thing views of
/// one person share is who they are. The loss is supervised contrastive on
/// cosine similarities.
public struct FaceEncoderTrainer {
    public let encoder: FaceEncoder
    public let dataset: SynthDataset
    public let identitiesPerBatch: Int
    public let viewsPerIdentity: Int
    public let seed: UInt64
    public var loss = SupervisedContrastiveLoss(temperature: 0.1)
    /// How often views are drawn in each style, in `RenderStyle.allCases` order; nil draws every
    /// style equally often. Weighting one style up puts more of its hard pairs in each batch.
    public var styleWeights: [Float]? = nil

    public static let lossColumns = ["loss", "same_cosine", "other_cosine"]

    public init(encoder: FaceEncoder, dataset: SynthDataset, identitiesPerBatch: Int, viewsPerIdentity: Int, seed: UInt64) {
        precondition(identitiesPerBatch >= 2 && viewsPerIdentity >= 2, "a contrastive batch needs two people with two views each")
        precondition(identitiesPerBatch <= dataset.identityCount, "more people per batch than the world holds")
        (self.encoder, self.dataset, self.seed) = (encoder, dataset, seed)
        (self.identitiesPerBatch, self.viewsPerIdentity) = (identitiesPerBatch, viewsPerIdentity)
    }

    /// Batch `index`: images [P*K, 3, S, S] and each row's identity. The same index
    /// always gives the same batch, so a resumed run sees what it would have.
    public func batch(_ index: Int) -> (images: Tensor, labels: [Int]) {
        let (scenes, labels) = views(index)
        return (Self.render(scenes, size: dataset.imageSize), labels)
    }

    /// The scenes batch `index` renders, and whose each one is.
    func views(_ index: Int) -> (scenes: [SynthScene], labels: [Int]) {
        var generator = SeededGenerator(seed: seed ^ 0xFACE_BA7C_0000_0000 &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        var people: [Int] = []
        while people.count < identitiesPerBatch {
            let candidate = Int(generator.next() % UInt64(dataset.identityCount))
            if !people.contains(candidate) { people.append(candidate) }
        }
        let labels = people.flatMap { Array(repeating: $0, count: viewsPerIdentity) }
        return (labels.map { Self.randomView(of: dataset.identity($0), styleWeights: styleWeights, generator: &generator) }, labels)
    }

    /// One step's forward and backward; gradients accumulate in the encoder.
    public func step(_ index: Int) -> [String: Float] {
        let (images, labels) = batch(index)
        let embeddings = encoder.forward(images)
        let (value, gradient) = loss.evaluate(embeddings: embeddings, labels: labels)
        _ = encoder.backward(gradient)
        let pairs = IdentityPairScores(embeddings: embeddings, labels: labels)
        return ["loss": value, "same_cosine": pairs.meanSame, "other_cosine": pairs.meanDifferent]
    }

    /// The encoder's pair scores on `identities` people of a world the training never saw,
    /// `views` random views each drawn in one of `styles`, embedded `chunk` images at a time.
    public static func heldOutScores(encoder: FaceEncoder, seed: UInt64, identities: Int, views: Int,
                                     styles: [RenderStyle] = RenderStyle.allCases, chunk: Int = 64) -> IdentityPairScores {
        let world = SynthDataset(seed: seed, imageSize: encoder.config.imageSize, identityCount: identities)
        var generator = SeededGenerator(seed: seed ^ 0x0E7A_1000_0000_0000)
        let labels = (0..<identities).flatMap { Array(repeating: $0, count: views) }
        let scenes = labels.map { randomView(of: world.identity($0), styles: styles, generator: &generator) }
        var rows: [Float] = []
        for start in stride(from: 0, to: scenes.count, by: chunk) {
            let images = render(Array(scenes[start..<min(start + chunk, scenes.count)]), size: world.imageSize)
            rows += encoder.forward(images).scalars
        }
        return IdentityPairScores(embeddings: Tensor(shape: [labels.count, encoder.embeddingDim], scalars: rows), labels: labels)
    }

    /// A person under a random pose, expression, background, light and style (one of `styles`,
    /// drawn in proportion to `styleWeights`, one per style, or equally often without them).
    static func randomView(of identity: HeadIdentity, styles: [RenderStyle] = RenderStyle.allCases, styleWeights: [Float]? = nil,
                           generator: inout SeededGenerator) -> SynthScene {
        precondition(!styles.isEmpty, "a view needs at least one style to be drawn in")
        let expression = Expression.random(using: &generator), pose = HeadPose.random(using: &generator)
        let setting = SceneSetting.random(using: &generator)
        let style = styles[styleIndex(count: styles.count, weights: styleWeights, generator: &generator)]
        return SynthScene(identity: identity, expression: expression, pose: pose, setting: setting,
                          style: style, textureSeed: generator.next())
    }

    /// Without weights, the same draw as before weights existed, so earlier runs' batches are unchanged.
    private static func styleIndex(count: Int, weights: [Float]?, generator: inout SeededGenerator) -> Int {
        guard let weights else { return Int(generator.next() % UInt64(count)) }
        precondition(weights.count == count && weights.allSatisfy { $0 >= 0 } && weights.contains { $0 > 0 },
                     "one non-negative weight per style, not all 0")
        var remaining = generator.nextUniform() * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            remaining -= weight
            if remaining < 0 { return index }
        }
        return weights.lastIndex { $0 > 0 } ?? 0  // rounding can leave a sliver past the last weight
    }

    static func render(_ scenes: [SynthScene], size: Int) -> Tensor {
        let images = ParallelRendering.render(scenes, size: size, threads: ProcessInfo.processInfo.activeProcessorCount)
        return Tensor(shape: [scenes.count, 3, size, size], scalars: images.flatMap { $0.floats(layout: .channelsFirst, range: -1...1) })
    }
}
