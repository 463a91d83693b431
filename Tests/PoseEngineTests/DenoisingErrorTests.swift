import Foundation
import Testing
@testable import PoseEngine

/// The UNet's held-out noise-prediction error (`posestudio bench unet`).
@Suite struct DenoisingErrorTests {
    private static let encoderConfig = ConvEncoderConfig(imageSize: 16, blockOutChannels: [8, 8], normNumGroups: 4,
                                                          outputDim: 4, hiddenDim: 8)

    private func measure(_ models: TinyTrainingModels, encoderSeed: UInt64 = 3, count: Int, timesteps: [Int] = [20, 600],
                         chunk: Int = 32) throws -> DenoisingError {
        DenoisingError.measure(unet: models.unet, textEncoder: models.text, projector: models.projector, vae: models.vae,
                               faceEncoder: try FaceEncoder(config: Self.encoderConfig, seed: encoderSeed),
                               count: count, seed: 11, timesteps: timesteps, chunk: chunk)
    }

    /// One render, one timestep, computed by hand for each conditioning: the latent noised by the
    /// schedule, the UNet's prediction with the empty prompt or the render's own, with zeros or
    /// the person's face tokens at the end, and both means of its squared error.
    @Test func oneRenderMatchesTheErrorComputedByHand() throws {
        let models = try TinyTrainingModels()
        let t = 400
        let measured = try measure(models, count: 1, timesteps: [t])

        let world = SynthDataset(seed: 11, imageSize: 16, identityCount: 2)
        let batch = SynthBatch(world.samples(0..<1))
        let faces = IdentityEmbeddings.compute(dataset: world, encoder: try FaceEncoder(config: Self.encoderConfig, seed: 3), views: 3)
        let latent = models.vae.encode(batch.images).mean * models.vae.config.scalingFactor
        let noise = DenoisingError.noise(rows: 0..<1, timestep: t, plane: Array(latent.shape.dropFirst()), seed: 11)
        let abar = DiffusionTrainer.alphasCumprod[t]
        let noisy = Tensor(shape: latent.shape, scalars: zip(latent.scalars, noise.scalars).map {
            abar.squareRoot() * $0 + (1 - abar).squareRoot() * $1
        })
        let tokens = models.projector.forward(Tensor(shape: [1, 4], scalars: faces.vectors[batch.identityIndices[0]]))
        let plane = latent.shape[2] * latent.shape[3]
        let weights = FaceWeights(extra: 1).map(poses: batch.poses, size: latent.shape[3])
        let contexts: [(ConditioningBranch, prompt: String, face: Bool)] = [
            (.none, "", false), (.text, batch.prompts[0], false), (.face, "", true), (.textAndFace, batch.prompts[0], true),
        ]
        for (branch, prompt, face) in contexts {
            let context = FaceConditioning.replaceLastTokens(of: models.text.encode([prompt]), with: tokens, keep: [face])
            let prediction = models.unet.forward(noisy, timesteps: [Float(t)], context: context).sample
            var all: Double = 0, onFace: Double = 0, bump: Double = 0
            for i in 0..<prediction.count {
                let d = Double(prediction.scalars[i] - noise.scalars[i])
                let w = Double(weights.scalars[i % plane] - 1)
                (all, onFace, bump) = (all + d * d, onFace + w * d * d, bump + w)
            }
            let cell = measured.cell(timestep: 0, branch)
            #expect(abs(Double(cell.all) - all / Double(prediction.count)) < 1e-5, "\(branch)")
            #expect(abs(Double(cell.face) - onFace / bump) < 1e-5, "\(branch)")
            #expect(cell.face != cell.all)
        }
    }

    /// Each render and timestep has noise of its own.
    @Test func noiseDiffersFromRenderToRenderAndFromTimestepToTimestep() {
        let plane = [4, 8, 8]
        let first = DenoisingError.noise(rows: 0..<2, timestep: 100, plane: plane, seed: 11)
        let later = DenoisingError.noise(rows: 0..<2, timestep: 200, plane: plane, seed: 11)
        #expect(first.batchRow(0).scalars != first.batchRow(1).scalars)
        #expect(first.batchRow(0).scalars != later.batchRow(0).scalars)
        #expect(DenoisingError.noise(rows: 1..<2, timestep: 100, plane: plane, seed: 11).scalars == first.batchRow(1).scalars)
    }

    /// Only the branches with a face read the face encoder: another encoder leaves "none" and
    /// "prompt" exactly as they were and moves the other two.
    @Test func onlyTheFaceBranchesDependOnTheFaces() throws {
        let models = try TinyTrainingModels()
        let a = try measure(models, encoderSeed: 3, count: 3), b = try measure(models, encoderSeed: 4, count: 3)
        for index in a.timesteps.indices {
            #expect(a.cell(timestep: index, .none) == b.cell(timestep: index, .none))
            #expect(a.cell(timestep: index, .text) == b.cell(timestep: index, .text))
            #expect(a.cell(timestep: index, .face) != b.cell(timestep: index, .face))
            #expect(a.cell(timestep: index, .textAndFace) != b.cell(timestep: index, .textAndFace))
        }
        #expect(a.cell(timestep: 0, .none) != a.cell(timestep: 0, .text))
    }

    /// Each render has its own noise, so the figures do not depend on how renders are batched,
    /// and the mean over timesteps is the mean of the rows.
    @Test func figuresDoNotDependOnTheChunkSize() throws {
        let models = try TinyTrainingModels()
        let whole = try measure(models, count: 5, chunk: 32), pieces = try measure(models, count: 5, chunk: 2)
        for index in whole.timesteps.indices {
            for branch in ConditioningBranch.allCases {
                let (x, y) = (whole.cell(timestep: index, branch), pieces.cell(timestep: index, branch))
                #expect(abs(x.all - y.all) <= 1e-5 * x.all && abs(x.face - y.face) <= 1e-5 * x.face)
            }
        }
        let mean = whole.mean(.face), rows = (whole.cell(timestep: 0, .face), whole.cell(timestep: 1, .face))
        #expect(abs(mean.all - (rows.0.all + rows.1.all) / 2) <= 1e-6 * mean.all)
        #expect(abs(mean.face - (rows.0.face + rows.1.face) / 2) <= 1e-6 * mean.face)
    }
}
