import Foundation

/// How well a UNet predicts the noise on latents of renders it never trained on: its training
/// objective, measured on a world of the caller's seed, at fixed timesteps, under each of the four
/// conditionings Face0's guidance mixes. Every row gets the same noise at a timestep whatever the
/// conditioning, and the same seed gives every model the same noise, so two UNets (a run and its
/// continuation) are compared on exactly the same problems.
///
/// Beside the plain mean over every latent, the error is weighted towards the face (the bump of
/// `FaceWeights`, without the 1 every latent has): that is where eyes and mouths are drawn, and
/// where the face tokens should help most.
public struct DenoisingError: Sendable {
    /// One timestep's mean squared noise error under one conditioning.
    public struct Cell: Sendable, Equatable {
        /// Over every latent element.
        public var all: Float
        /// Weighted by the face's Gaussian bump.
        public var face: Float
    }

    public static let defaultTimesteps = [50, 150, 300, 500, 700, 900]

    public var count: Int
    public var timesteps: [Int]
    /// cells[timestep index][branch raw value].
    public var cells: [[Cell]]

    public func cell(timestep index: Int, _ branch: ConditioningBranch) -> Cell { cells[index][branch.rawValue] }

    /// The mean over the timesteps of one conditioning's errors.
    public func mean(_ branch: ConditioningBranch) -> Cell {
        let rows = cells.map { $0[branch.rawValue] }
        let n = Float(max(rows.count, 1))
        return Cell(all: rows.map(\.all).reduce(0, +) / n, face: rows.map(\.face).reduce(0, +) / n)
    }

    /// Measures `count` renders of a world seeded with `seed`. Each person's face embedding is the
    /// mean of the face encoder's embeddings of `views` other views of them, as in training.
    public static func measure(unet: UNet2DConditionModel, textEncoder: TextEncoder, projector: FaceProjector,
                               vae: AutoencoderKL, faceEncoder: FaceEncoder, count: Int, seed: UInt64,
                               timesteps: [Int] = defaultTimesteps, views: Int = 3, chunk: Int = 32,
                               progress: (_ measured: Int) -> Void = { _ in }) -> DenoisingError {
        precondition(count > 0 && !timesteps.isEmpty, "the measurement needs renders and timesteps")
        precondition(timesteps.allSatisfy { (0..<DiffusionTrainer.trainTimesteps).contains($0) }, "a timestep outside the schedule")
        let world = SynthDataset(seed: seed, imageSize: vae.config.sampleSize, identityCount: max(count / 4, 2))
        // The embeddings go in without the jitter training adds: the measurement asks how well
        // the UNet reads the faces it will be given.
        let faces = IdentityEmbeddings.compute(dataset: world, encoder: faceEncoder, views: views)
        let bump = FaceWeights(extra: 1)
        let branches = ConditioningBranch.allCases
        var squares = [[Double]](repeating: [Double](repeating: 0, count: branches.count), count: timesteps.count)
        var faceSquares = squares
        var elements: Double = 0, faceWeight: Double = 0

        for start in stride(from: 0, to: count, by: chunk) {
            let rows = start..<min(start + chunk, count)
            let batch = SynthBatch(world.samples(rows))
            let latents = vae.encode(batch.images).mean * vae.config.scalingFactor
            let contexts = self.contexts(batch, faces: faces, textEncoder: textEncoder, projector: projector)
            let side = latents.shape[3], channels = latents.shape[1]
            // FaceWeights gives 1 + bump; the face's share of each latent is the bump alone,
            // found once per chunk for every timestep and conditioning to weigh.
            let weights = bump.map(poses: batch.poses, size: side)
            let faceShare = (0..<latents.count).map { Double(FaceWeights.weight(weights, atFlat: $0, channels: channels) - 1) }
            elements += Double(latents.count)
            faceWeight += faceShare.reduce(0, +)

            for (ti, t) in timesteps.enumerated() {
                let noise = self.noise(rows: rows, timestep: t, plane: Array(latents.shape.dropFirst()), seed: seed)
                let noisy = DiffusionTrainer.noised(latents, noise: noise, timesteps: Array(repeating: Float(t), count: rows.count))
                for branch in branches {
                    let prediction = unet.forward(noisy, timesteps: Array(repeating: Float(t), count: rows.count),
                                                  context: contexts[branch.rawValue]).sample
                    for i in 0..<prediction.count {
                        let d = Double(prediction.scalars[i] - noise.scalars[i])
                        squares[ti][branch.rawValue] += d * d
                        faceSquares[ti][branch.rawValue] += faceShare[i] * d * d
                    }
                }
            }
            progress(rows.upperBound)
        }
        let cells = zip(squares, faceSquares).map { all, face in
            zip(all, face).map { Cell(all: Float($0 / elements), face: Float($1 / max(faceWeight, .leastNonzeroMagnitude))) }
        }
        return DenoisingError(count: count, timesteps: timesteps, cells: cells)
    }

    /// The UNet context of each conditioning for `batch`, indexed by the branch's raw value.
    static func contexts(_ batch: SynthBatch, faces: IdentityEmbeddings, textEncoder: TextEncoder,
                         projector: FaceProjector) -> [Tensor] {
        let n = batch.prompts.count
        let embeddings = Tensor(shape: [n, projector.config.embeddingDim],
                                scalars: batch.identityIndices.flatMap { faces.vectors[$0] })
        let tokens = projector.forward(embeddings)
        let prompted = textEncoder.encode(batch.prompts), empty = textEncoder.encode(Array(repeating: "", count: n))
        return ConditioningBranch.allCases.map { branch in
            FaceConditioning.replaceLastTokens(of: branch.usesText ? prompted : empty, with: tokens,
                                               keep: Array(repeating: branch.usesFace, count: n))
        }
    }

    /// The noise of renders `rows` at timestep `t`: each (render, timestep) draws from its own
    /// generator, so the noise does not depend on how the renders are chunked, and a timestep
    /// added to the list leaves the others' noise as it was.
    static func noise(rows: Range<Int>, timestep t: Int, plane: [Int], seed: UInt64) -> Tensor {
        let scalars = rows.flatMap { row in
            var perRender = SeededGenerator(seed: SeedMixing.seed(seed, .sample, row))
            var generator = SeededGenerator(seed: perRender.next() ^ UInt64(t))
            return Tensor.randomNormal(plane, generator: &generator).scalars
        }
        return Tensor(shape: [rows.count] + plane, scalars: scalars)
    }
}
