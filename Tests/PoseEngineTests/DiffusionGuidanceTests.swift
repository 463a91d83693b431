import Foundation
import Testing
@testable import PoseEngine

@Suite struct DiffusionGuidanceTests {
    /// eps = w eps_F + (1 - w) eps(none), eps_F = c eps(tf) + (1 - c)(a eps(f) + (1 - a) eps(t)).
    @Test(arguments: [(7.5, 1, 0.5), (5, 0.3, 0.7), (1, 0, 1), (0, 1, 0.5), (3, 0.5, 0)] as [(Float, Float, Float)])
    func planCombinesBranchesAsFace0sFormula(w: Float, c: Float, a: Float) {
        let weights = CFGWeights(scale: w, combined: c, face: a)
        let plan = BranchPlan(weights: weights, hasFace: true)
        let values: [ConditioningBranch: Float] = [.none: 1, .text: 10, .face: 100, .textAndFace: 1000]
        let predictions = Tensor(shape: [plan.rows.count, 1, 1, 2], scalars: plan.rows.flatMap { [values[$0] ?? 0, -(values[$0] ?? 0)] })
        let expected = w * (c * 1000 + (1 - c) * (a * 100 + (1 - a) * 10)) + (1 - w) * 1
        let combined = plan.combine(predictions)
        #expect(abs(combined.scalars[0] - expected) < 1e-3 * max(1, abs(expected)))
        #expect(abs(combined.scalars[1] + expected) < 1e-3 * max(1, abs(expected)))
        #expect(abs(plan.coefficients.reduce(0, +) - 1) < 1e-5)
    }

    @Test func branchesWithZeroWeightAreNotEvaluated() throws {
        #expect(BranchPlan(weights: CFGWeights(scale: 7.5, combined: 1, face: 0.5), hasFace: true).rows == [.none, .textAndFace])
        #expect(BranchPlan(weights: CFGWeights(scale: 1, combined: 1, face: 0.5), hasFace: true).rows == [.textAndFace])
        #expect(BranchPlan(weights: CFGWeights(scale: 7.5, combined: 0, face: 1), hasFace: true).rows == [.none, .face])
        #expect(BranchPlan(weights: CFGWeights(scale: 7.5, combined: 0.5, face: 0.5), hasFace: true).rows.count == 4)
        // Without a face, face tokens are zero: "face" is "none" and "text and face" is "text"
        // (text: w c + w (1 - c)(1 - a) = 3.75 + 1.875).
        let faceless = BranchPlan(weights: CFGWeights(scale: 7.5, combined: 0.5, face: 0.5), hasFace: false)
        #expect(faceless.rows == [.none, .text] && abs(faceless.coefficients[1] - 5.625) < 1e-5)

        // The UNet sees exactly one batch row per planned branch.
        let engine = try StudioTestModels.engine()
        for (weights, rows) in [(CFGWeights(scale: 1, combined: 1, face: 0.5), 1), (CFGWeights(), 2),
                                (CFGWeights(scale: 4, combined: 0.5, face: 0.5), 4)] {
            var settings = StudioTestModels.settings()
            (settings.cfg, settings.cfgFrom) = (weights, 1000)
            let conditioning = try engine.prepare(settings)
            #expect(conditioning.contexts.shape[0] == rows)
            var state = engine.start(settings, steps: 2)
            #expect(try engine.advance(&state, settings: settings, conditioning: conditioning).batchRows == rows)
        }
        // Above `cfgFrom` a step runs the early plan's rows: standard CFG, the empty and the text and face rows.
        var settings = StudioTestModels.settings()
        (settings.cfg, settings.cfgFrom, settings.cfgEarlyScale) = (CFGWeights(scale: 4, combined: 0.5, face: 0.5), 300, 3)
        var state = engine.start(settings, steps: 2)
        #expect(try engine.advance(&state, settings: settings, conditioning: try engine.prepare(settings)).batchRows == 2)
    }

    @Test func face0ContextsPutFaceTokensOnlyInFaceRows() {
        let plan = BranchPlan(weights: CFGWeights(scale: 4, combined: 0.5, face: 0.5), hasFace: true)
        let prompt = Tensor(shape: [1, 5, 2], repeating: 1), empty = Tensor(shape: [1, 5, 2], repeating: 2)
        let tokens = Tensor(shape: [1, 3, 2], repeating: 7)
        let batch = Face0Context.batch(for: plan, prompt: prompt, empty: empty, faceTokens: tokens, hasFace: true)
        func token(_ row: Int, _ position: Int) -> Float { batch.scalars[(row * 5 + position) * 2] }
        for (row, branch) in plan.rows.enumerated() {
            #expect(token(row, 0) == (branch == .text || branch == .textAndFace ? 1 : 2))
            #expect(token(row, 4) == (branch == .face || branch == .textAndFace ? 7 : 0))
        }
    }

    /// Each active quantity's term is scaled by the head's gain for it; inactive ones add nothing.
    @Test func guidanceGainsScaleEachQuantitysTerm() {
        var targets = GuidanceTargets()
        targets.steer(.pitch, to: 0)
        targets.steer(.yaw, to: 0)
        let guidance = PoseGuidance(targets: targets, weight: 2)
        // Normalised predictions, two rows: pitch 0.5 and yaw -0.25 off target in each.
        let predictions = Tensor(shape: [2, 5], scalars: [0.5, -0.25, 0.3, 0.3, 0.3, 0.5, -0.25, 0.3, 0.3, 0.3])
        let plain = guidance.lossAndGradient(predictions: predictions, gains: [1, 1, 1, 1, 1])
        let gained = guidance.lossAndGradient(predictions: predictions, gains: [1, 8, 5, 5, 5])
        #expect(abs(plain.loss - 2 * (0.25 + 0.0625)) < 1e-6)
        #expect(abs(gained.loss - 2 * (0.25 + 8 * 0.0625)) < 1e-6)
        #expect(gained.gradient.scalars[0] == plain.gradient.scalars[0] && abs(gained.gradient.scalars[0] - 1) < 1e-6)
        #expect(abs(gained.gradient.scalars[1] - 8 * plain.gradient.scalars[1]) < 1e-6 && plain.gradient.scalars[1] < 0)
        #expect(gained.gradient.scalars[2] == 0, "x is not a target: its gain changes nothing")
    }

    /// A head's calibration moves the targets guidance aims at, (asked - intercept) / slope per
    /// calibrated quantity, kept within the world's poses; identity rows and values asked outside
    /// the world are aimed at as asked; a calibration that would aim far off is refused by name.
    @Test func guidanceCalibrationMovesTheTargetsItAimsAt() {
        var targets = GuidanceTargets()
        targets.steer(.scale, to: 0.66)
        targets.steer(.yaw, to: 120)
        var head = PoseReadoutHeadConfig(inChannels: 8, featureSize: 2)
        let guidance = PoseGuidance(targets: targets, weight: 3)
        #expect(guidance.aimed(by: head) == guidance, "no calibration: aimed as asked")
        head.guidanceCalibration = [[1, 0], [1, 0], [1, 0], [1, 0], [0.8, 0.1]]
        let aimed = guidance.aimed(by: head)
        #expect(abs(aimed.targets.values.scale - 0.7) < 1e-6, "(0.66 - 0.1) / 0.8")
        #expect(aimed.targets.values.yaw == 120, "an uncalibrated quantity is not held to the world's yaw")
        #expect(aimed.targets.active == guidance.targets.active && aimed.weight == 3)
        targets.steer(.scale, to: 0.27)
        #expect(head.aim(targets.values).scale == 0.25, "(0.27 - 0.1) / 0.8 is below the world's smallest heads")
        targets.steer(.scale, to: 1.2)
        #expect(head.aim(targets.values).scale == 1.2, "asked outside the world: aimed as asked")

        for bad: [[Float]] in [[[1, 0]], [[1, 0], [1, 0], [1, 0], [1, 0], [0.1, 0]], [[1, 0], [1, 0], [1, 0], [1, 0], [1, .nan]],
                               [[1, 0], [1, 0], [1, 0], [1, 0], [1]]] {
            head.guidanceCalibration = bad
            #expect(head.problems().contains { $0.hasPrefix("guidance_calibration must be 5 pairs [slope, intercept]") }, "\(bad)")
        }
    }

    /// The main head's calibration aims every target, those read ahead by the head for reading
    /// ahead too: a calibrated model guides as an uncalibrated one asked for the aimed targets.
    @Test func theMainHeadsCalibrationAimsTargetsReadAhead() throws {
        let models = try StudioTestModels.models()
        let engine = SamplingEngine(models: models, faceImageLoader: StudioTestModels.faceLoader)
        var settings = StudioTestModels.settings()
        settings.targets.steer(.x, to: 0.2)
        settings.targets.steer(.yaw, to: 30)
        let conditioning = try engine.prepare(settings)
        var calibrated = models.poseHead.config
        calibrated.guidanceCalibration = [[1, 0], [0.5, 5], [0.8, 0.05], [1, 0], [1, 0]]
        let plain = GuidedDenoiser(unet: models.unet, head: try PoseReadoutHead(config: models.poseHead.config, seed: 4))
        let aiming = GuidedDenoiser(unet: models.unet, head: try PoseReadoutHead(config: calibrated, seed: 4))
        let ahead = GuidanceLookahead(timestep: 150, alphaBar: 0.8, quantities: [.yaw], gain: 10)
        let guidance = PoseGuidance(targets: settings.targets, weight: 30)
        let x = randomTensor(models.latentShape, seed: 23)
        func eps(_ denoiser: GuidedDenoiser, _ guidance: PoseGuidance) -> Tensor {
            denoiser.predict(x, timestep: 600, alphaBar: 0.3, plan: conditioning.plan, contexts: conditioning.contexts,
                             guidance: guidance, lookahead: ahead).eps
        }
        let expected = eps(plain, guidance.aimed(by: calibrated))
        #expect(eps(aiming, guidance).maxAbsDifference(expected) < 1e-5 * max(1, expected.maxAbs()))
        #expect(eps(plain, guidance).maxAbsDifference(expected) > 1e-4, "the aimed targets guide otherwise")
    }

    /// A model whose weights make it diverge is named after the step, not drawn as a blank
    /// picture (or, before exp took NaN, a crash).
    @Test func aDivergingModelIsReportedWithTheStep() throws {
        let models = try StudioTestModels.models()
        models.unet.convIn.bias?.value.scalars[0] = 3e38
        let engine = SamplingEngine(models: models, faceImageLoader: StudioTestModels.faceLoader)
        #expect(throws: StudioError.notFinite(step: 1)) { try engine.render(StudioTestModels.settings()) }
    }

    /// dL/dx_t through head + mid block + down path against central differences.
    @Test func guidanceGradientMatchesFiniteDifferences() throws {
        let models = try StudioTestModels.models()
        let engine = SamplingEngine(models: models, faceImageLoader: StudioTestModels.faceLoader)
        var settings = StudioTestModels.settings()
        settings.targets.steer(.pitch, to: -20)
        settings.targets.steer(.scale, to: 0.7)
        let conditioning = try engine.prepare(settings)
        let guidance = PoseGuidance(targets: settings.targets, weight: 3)
        let x = randomTensor(models.latentShape, seed: 21)
        let (loss, gradient) = engine.denoiser.guidanceLossAndGradient(x, timestep: 500, contexts: conditioning.contexts, guidance: guidance)
        #expect(loss > 0 && gradient.maxAbs() > 0)
        let differences = Self.centralDifferences(at: x, seed: 4) {
            engine.denoiser.guidanceLossAndGradient($0, timestep: 500, contexts: conditioning.contexts, guidance: guidance).loss
        }
        for (i, numeric) in differences {
            #expect(abs(numeric - gradient.scalars[i]) <= 3e-2 * (abs(numeric) + 1e-3) + 1e-4,
                    "x[\(i)]: analytic \(gradient.scalars[i]) vs numeric \(numeric)")
        }
        // A small step against the gradient lowers the loss: the direction guidance moves x_t in.
        var stepped = x
        stepped.add(gradient, scaledBy: -1e-2 / max(gradient.maxAbs(), 1e-6))
        #expect(engine.denoiser.guidanceLossAndGradient(stepped, timestep: 500, contexts: conditioning.contexts, guidance: guidance).loss < loss)
    }

    @Test func guidedPredictionAddsTheScaledGradientToEps() throws {
        let models = try StudioTestModels.models()
        let engine = SamplingEngine(models: models, faceImageLoader: StudioTestModels.faceLoader)
        var settings = StudioTestModels.settings()
        settings.guidancePushLimit = nil  // the bare formula (the limit: GuidancePushLimitTests)
        let conditioning = try engine.prepare(settings)
        let x = randomTensor(models.latentShape, seed: 5)
        let plain = engine.denoiser.predict(x, timestep: 600, alphaBar: 0.3, plan: conditioning.plan, contexts: conditioning.contexts, guidance: nil)
        let guided = engine.denoiser.predict(x, timestep: 600, alphaBar: 0.3, plan: conditioning.plan, contexts: conditioning.contexts,
                                             guidance: settings.poseGuidance)
        // All rows: each row's loss is its own; the gradient is the sum over rows.
        let gradient = engine.denoiser.guidanceLossAndGradient(x, timestep: 600, contexts: conditioning.contexts, guidance: settings.poseGuidance).gradient
        let expected = plain.eps + gradient * (1 - 0.3 as Float).squareRoot()
        #expect(guided.eps.maxAbsDifference(expected) < 1e-4 * max(1, expected.maxAbs()))
        #expect(guided.guidanceLoss != nil && plain.guidanceLoss == nil)
    }

    @Test func faceEmbeddingsMixAverageAndJitterOnTheSphere() {
        let a = FaceEmbedding.random(seed: 1, dimension: 16), b = FaceEmbedding.random(seed: 2, dimension: 16)
        #expect(a == FaceEmbedding.random(seed: 1, dimension: 16) && a != b)
        for mode in FaceEmbedding.MixMode.allCases {
            #expect(FaceEmbedding.cosine(FaceEmbedding.mix(a, b, at: 0, mode: mode), a) > 0.9999)
            #expect(FaceEmbedding.cosine(FaceEmbedding.mix(a, b, at: 1, mode: mode), b) > 0.9999)
            let similarities = stride(from: Float(0), through: 1, by: 0.25).map { FaceEmbedding.cosine(FaceEmbedding.mix(a, b, at: $0, mode: mode), b) }
            #expect(zip(similarities, similarities.dropFirst()).allSatisfy { $0 < $1 })
        }
        // Spherical steps are equal angles.
        let angle = { (t: Float) in acos(min(1, FaceEmbedding.cosine(FaceEmbedding.mix(a, b, at: t, mode: .spherical), a))) }
        #expect(abs(angle(0.5) - angle(1) / 2) < 1e-3)
        let jittered = FaceEmbedding.jittered(a, amount: 0.05, seed: 3)
        #expect(jittered != a && FaceEmbedding.cosine(jittered, a) > 0.8)
        #expect(abs(FaceEmbedding.average([a, a, a]).reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
    }

    @Test func previewMapRecoversALinearDecoder() {
        // Images that ARE a linear function of the latents: the fit must find it.
        let latents = randomTensor([3, 4, 2, 2], seed: 8)
        let w: [[Float]] = [[0.5, -0.2, 0, 0.1], [0, 0.3, 0.3, 0], [-0.4, 0, 0.2, 0.6]], b: [Float] = [0.1, -0.2, 0]
        var images = Tensor(zeros: [3, 3, 4, 4])
        for n in 0..<3 { for r in 0..<3 { for y in 0..<4 { for x in 0..<4 {
            var v = b[r]
            for c in 0..<4 { v += w[r][c] * latents.scalars[((n * 4 + c) * 2 + y / 2) * 2 + x / 2] }
            images.scalars[((n * 3 + r) * 4 + y) * 4 + x] = v
        } } } }
        let map = LatentPreviewMap.fit(latents: latents, images: images)
        #expect(map.upscale == 2)
        for r in 0..<3 {
            #expect(abs(map.bias[r] - b[r]) < 1e-3)
            for c in 0..<4 { #expect(abs(map.weights[r][c] - w[r][c]) < 1e-3) }
        }
        let picture = map.image(latents.batchRow(0))
        #expect(picture.width == 4 && picture.height == 4)
    }

    /// d f / d x[i] by central differences (step 1e-2) at 6 coordinates i drawn from `seed`.
    static func centralDifferences(at x: Tensor, seed: UInt64, of f: (Tensor) -> Float) -> [(index: Int, value: Float)] {
        var generator = SeededGenerator(seed: seed)
        let epsilon: Float = 1e-2
        return (0..<6).map { _ in
            let i = Int(generator.next() % UInt64(x.count))
            var plus = x, minus = x
            plus.scalars[i] += epsilon
            minus.scalars[i] -= epsilon
            return (i, (f(plus) - f(minus)) / (2 * epsilon))
        }
    }
}
