/// Refits the Face0 projector to a new face encoder without touching the UNet.
///
/// The UNet learned to read the tokens the reference projector makes from the
/// reference encoder's embeddings. The refit projector learns to make those same
/// tokens from the new encoder's embedding of the same pictures, so a better
/// face encoder can replace the old one and the UNet still understands the faces.
/// Inputs are drawn as the studio makes them: one picture, several averaged, a
/// whole identity, and mixes of two people.
public struct FaceProjectorRefit {
    public let projector: FaceProjector
    public let reference: FaceProjector
    /// The same views embedded by the new encoder and by the reference one.
    public let new: ViewEmbeddings
    public let old: ViewEmbeddings
    public let batchSize: Int
    public let seed: UInt64

    public static let lossColumns = ["loss", "relative_error"]

    public init(projector: FaceProjector, reference: FaceProjector, new: ViewEmbeddings, old: ViewEmbeddings,
                batchSize: Int, seed: UInt64) {
        precondition(new.vectors.count == old.vectors.count && !new.vectors.isEmpty, "the two tables pair the same identities")
        precondition(projector !== reference, "the reference projector is only read; the refit one is another")
        reference.setRequiresGradient(false)
        self.projector = projector
        self.reference = reference
        self.new = new
        self.old = old
        self.batchSize = batchSize
        self.seed = seed
    }

    /// One batch: mean squared token error, and its share of the targets' variance.
    public func step(_ index: Int) -> [String: Float] {
        var generator = SeededGenerator(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
        let inputs = (0..<batchSize).map { _ in Self.randomInput(views: new.vectors[0].count, identities: new.vectors.count,
                                                                 generator: &generator) }
        let (newEmbeddings, oldEmbeddings) = (Self.embed(inputs, from: new), Self.embed(inputs, from: old))
        let target = reference.forward(oldEmbeddings)
        let prediction = projector.forward(newEmbeddings)
        let (loss, gradient) = Self.meanSquaredError(prediction, target)
        _ = projector.backward(gradient)
        return ["loss": loss, "relative_error": loss / max(Self.variance(target), 1e-12)]
    }

    /// What `projector` makes of `new` against what `reference` makes of `old`, over every
    /// identity's mean embedding: the mean squared token error as a share of the targets'
    /// variance (0 is perfect; 1 is no better than always giving the mean tokens), and the
    /// mean cosine between made and wanted tokens.
    public static func agreement(projector: FaceProjector, new: ViewEmbeddings, reference: FaceProjector,
                                 old: ViewEmbeddings) -> (relativeError: Float, cosine: Float) {
        let inputs = (0..<new.vectors.count).map { FaceInput(first: $0, second: $0, views: Array(0..<new.vectors[0].count), mix: 0) }
        let target = reference.forward(embed(inputs, from: old))
        let prediction = projector.forward(embed(inputs, from: new))
        let (error, _) = meanSquaredError(prediction, target)
        let width = target.count / inputs.count
        let cosines = (0..<inputs.count).map { row in
            let rows = (row * width)..<((row + 1) * width)
            return FaceEmbedding.cosine(Array(prediction.scalars[rows]), Array(target.scalars[rows]))
        }
        return (error / max(variance(target), 1e-12), cosines.mean)
    }

    /// A face as the studio might hand it over: some views of one person (averaged), or a
    /// mix of two people's full means at `mix`.
    struct FaceInput {
        var first: Int
        var second: Int
        var views: [Int]
        var mix: Float
        var mode: FaceEmbedding.MixMode = .linear
    }

    static func randomInput(views: Int, identities: Int, generator: inout SeededGenerator) -> FaceInput {
        let first = Int(generator.next() % UInt64(identities))
        switch generator.next() % 4 {
        case 0, 1:
            // One picture, or a few averaged: the first `count` of a seeded Fisher-Yates
            // shuffle, so the same views on every platform.
            let count = 1 + Int(generator.next() % UInt64(views))
            var order = Array(0..<views)
            for i in 0..<count {
                order.swapAt(i, i + Int(generator.next() % UInt64(views - i)))
            }
            return FaceInput(first: first, second: first, views: Array(order.prefix(count)), mix: 0)
        case 2:
            return FaceInput(first: first, second: first, views: Array(0..<views), mix: 0)
        default:
            let second = Int(generator.next() % UInt64(identities))
            let mode: FaceEmbedding.MixMode = generator.next() % 2 == 0 ? .linear : .spherical
            return FaceInput(first: first, second: second, views: Array(0..<views), mix: generator.nextUniform(), mode: mode)
        }
    }

    /// Each input's embedding in one encoder's space: the mean direction of its views, mixed
    /// with the second person's as the studio mixes faces.
    static func embed(_ inputs: [FaceInput], from table: ViewEmbeddings) -> Tensor {
        let rows = inputs.map { input -> [Float] in
            let a = FaceEmbedding.average(input.views.map { table.vectors[input.first][$0] })
            guard input.mix > 0 else { return a }
            let b = FaceEmbedding.average(input.views.map { table.vectors[input.second][$0] })
            return FaceEmbedding.mix(a, b, at: input.mix, mode: input.mode)
        }
        return Tensor(shape: [rows.count, rows.first?.count ?? 0], scalars: rows.flatMap { $0 })
    }

    static func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> (Float, Tensor) {
        let count = Float(prediction.count)
        var gradient = Tensor(uninitialized: prediction.shape)
        var loss: Float = 0
        for i in 0..<prediction.count {
            let d = prediction.scalars[i] - target.scalars[i]
            loss += d * d
            gradient.scalars[i] = 2 * d / count
        }
        return (loss / count, gradient)
    }

    /// The mean over token features of their variance across the batch.
    static func variance(_ tokens: Tensor) -> Float {
        let rows = tokens.shape[0], width = tokens.count / max(rows, 1)
        var total: Float = 0
        for j in 0..<width {
            var mean: Float = 0
            for r in 0..<rows { mean += tokens.scalars[r * width + j] }
            mean /= Float(rows)
            for r in 0..<rows { total += (tokens.scalars[r * width + j] - mean) * (tokens.scalars[r * width + j] - mean) }
        }
        return total / Float(rows * width)
    }
}
