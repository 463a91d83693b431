import Foundation

/// Every network the studio samples with, loaded once. Not Sendable: one
/// owner (the SamplerActor, or a command's single thread) uses it.
public final class StudioModels {
    public let unet: UNet2DConditionModel
    public let vae: AutoencoderKL
    public let textEncoder: TextEncoder
    public let faceEncoder: FaceEncoder
    public let faceProjector: FaceProjector
    public let poseHead: PoseReadoutHead
    /// A head trained for readings ahead alone (`pose_head_lookahead/`, optional): guidance that
    /// reads ahead to a timestep it was trained for reads with it (`GuidedDenoiser`).
    public let lookaheadHead: PoseReadoutHead?
    /// Only the fidelity bench needs the judge; folders without one still sample.
    public let judge: PoseJudge?
    /// Where faces drawn from a seed come from; folders without one draw uniform directions.
    public let faceDistribution: FaceEmbeddingDistribution?
    public let schedule: NoiseSchedule
    public let previewMap: LatentPreviewMap
    /// What loading assumed about the folder that a user should be told (`load` fills it).
    public private(set) var notes: [String] = []

    /// `previewMap` nil: fitted now from VAE decodes of synthetic renders.
    public init(unet: UNet2DConditionModel, vae: AutoencoderKL, textEncoder: TextEncoder, faceEncoder: FaceEncoder,
                faceProjector: FaceProjector, poseHead: PoseReadoutHead, lookaheadHead: PoseReadoutHead? = nil,
                judge: PoseJudge?, schedule: NoiseSchedule,
                previewMap: LatentPreviewMap? = nil, faceDistribution: FaceEmbeddingDistribution? = nil) {
        (self.unet, self.vae, self.textEncoder, self.faceEncoder) = (unet, vae, textEncoder, faceEncoder)
        (self.faceProjector, self.poseHead, self.judge, self.schedule) = (faceProjector, poseHead, judge, schedule)
        self.lookaheadHead = lookaheadHead
        for model: ParameterVisitable in [unet, vae, textEncoder, faceEncoder, faceProjector, poseHead] {
            model.setRequiresGradient(false)
        }
        judge?.setRequiresGradient(false)
        lookaheadHead?.setRequiresGradient(false)
        self.faceDistribution = faceDistribution
        self.previewMap = previewMap ?? Self.fitPreviewMap(vae: vae)
    }

    /// Loads a model folder: unet/, vae/, text_encoder/, face_encoder/, face_projector/, pose_head/,
    /// optionally pose_head_lookahead/, judge/, face_projector/embedding_distribution.safetensors, scheduler/scheduler_config.json
    /// and preview.json.
    public static func load(folder url: URL) throws -> StudioModels {
        let folder = ModelFolder(url.path)
        guard folder.exists else { throw StudioError.missingModelFolder(path: url.path) }
        let previewURL = url.appendingPathComponent(LatentPreviewMap.fileName)
        let (unet, vae) = (try folder.load(UNet2DConditionModel.self, "unet"), try folder.load(AutoencoderKL.self, "vae"))
        let textEncoder = try folder.load(TextEncoder.self, "text_encoder")
        let (faceEncoder, faceProjector) = (try folder.load(FaceEncoder.self, "face_encoder"),
                                            try folder.load(FaceProjector.self, "face_projector"))
        let poseHead = try folder.load(PoseReadoutHead.self, "pose_head")
        let lookaheadHead = folder.has(Self.lookaheadHeadName) ? try folder.load(PoseReadoutHead.self, Self.lookaheadHeadName) : nil
        let distributionURL = FaceEmbeddingDistribution.url(inModelFolder: url)
        let distribution = FileManager.default.fileExists(atPath: distributionURL.path)
            ? try FaceEmbeddingDistribution.load(from: distributionURL) : nil
        var problems = ModelCompatibility.problems(unet: unet.config, vae: vae.config, textEncoder: textEncoder.config,
                                                   faceProjector: faceProjector.config, faceEncoder: faceEncoder.config,
                                                   poseHead: poseHead.config)
        if let lookaheadHead {
            problems += ModelCompatibility.poseHeadProblems(lookaheadHead.config, named: Self.lookaheadHeadName, unet: unet.config)
            if lookaheadHead.config.maxTimestep == nil {
                problems.append("\(Self.lookaheadHeadName)/config.json has no max_timestep, so guidance would never read with it: "
                                + "set the timestep it was trained below (train pose_head --max-timestep T writes it)")
            }
            if lookaheadHead.config.guidanceCalibration != nil {
                problems.append("\(Self.lookaheadHeadName)/config.json has a guidance_calibration, which guidance reads from "
                                + "pose_head/config.json alone (where pictures land is the model's, whichever head reads): move it there")
            }
        }
        if let distribution, distribution.dimension != faceProjector.config.embeddingDim {
            problems.append("face_projector/\(FaceEmbeddingDistribution.fileName) is for \(distribution.dimension)-dimensional "
                            + "embeddings, the projector takes \(faceProjector.config.embeddingDim)")
        }
        guard problems.isEmpty else { throw StudioError.mismatchedComponents(path: url.path, problems: problems) }
        let schedule = try NoiseSchedule.load(modelFolder: url)
        let models = StudioModels(
            unet: unet, vae: vae, textEncoder: textEncoder, faceEncoder: faceEncoder, faceProjector: faceProjector,
            poseHead: poseHead, lookaheadHead: lookaheadHead,
            judge: folder.has("judge") ? try folder.load(PoseJudge.self, "judge") : nil,
            schedule: schedule.schedule,
            previewMap: FileManager.default.fileExists(atPath: previewURL.path) ? try LatentPreviewMap.load(from: previewURL) : nil,
            faceDistribution: distribution)
        models.notes = [schedule.assumedNote].compactMap { $0 }
        return models
    }

    /// The folder of the head for readings ahead.
    public static let lookaheadHeadName = "pose_head_lookahead"

    /// Seeded random weights of `configs` (benchmarks and tests before a trained model exists).
    public static func random(_ configs: StudioModelConfigs, seed: UInt64) throws -> StudioModels {
        StudioModels(
            unet: try UNet2DConditionModel(config: configs.unet, seed: seed),
            vae: try AutoencoderKL(config: configs.vae, seed: seed &+ 1),
            textEncoder: try TextEncoder(config: configs.textEncoder, seed: seed &+ 2),
            faceEncoder: try FaceEncoder(config: configs.faceEncoder, seed: seed &+ 3),
            faceProjector: try FaceProjector(config: configs.faceProjector, seed: seed &+ 4),
            poseHead: try PoseReadoutHead(config: configs.poseHead, seed: seed &+ 5),
            judge: try PoseJudge(config: configs.judge, seed: seed &+ 6),
            schedule: try NoiseSchedule())
    }

    /// Writes a complete model folder (every component, the scheduler config and preview.json).
    public func save(to url: URL) throws {
        try unet.save(to: url.appendingPathComponent("unet"))
        try vae.save(to: url.appendingPathComponent("vae"))
        try textEncoder.save(to: url.appendingPathComponent("text_encoder"))
        try faceEncoder.save(to: url.appendingPathComponent("face_encoder"))
        try faceProjector.save(to: url.appendingPathComponent("face_projector"))
        let distributionURL = FaceEmbeddingDistribution.url(inModelFolder: url)
        if let faceDistribution {
            try faceDistribution.save(to: distributionURL)
        } else if FileManager.default.fileExists(atPath: distributionURL.path) {
            try FileManager.default.removeItem(at: distributionURL)  // it belonged to other weights
        }
        try poseHead.save(to: url.appendingPathComponent("pose_head"))
        let lookaheadURL = url.appendingPathComponent(Self.lookaheadHeadName)
        if let lookaheadHead {
            try lookaheadHead.save(to: lookaheadURL)
        } else if FileManager.default.fileExists(atPath: lookaheadURL.path) {
            try FileManager.default.removeItem(at: lookaheadURL)  // it read another UNet's features
        }
        try judge?.save(to: url.appendingPathComponent("judge"))
        try ModelFolder(url.path).writeSchedulerConfig()
        try previewMap.save(to: url.appendingPathComponent(LatentPreviewMap.fileName))
    }

    /// The face a seed stands for: drawn from the training faces' distribution when the folder has one.
    public func randomFace(seed: UInt64) -> [Float] {
        faceDistribution?.sample(seed: seed) ?? FaceEmbedding.random(seed: seed, dimension: faceProjector.config.embeddingDim)
    }

    /// Scaled latent [1, C, h, w] -> the VAE's picture.
    public func decode(_ latent: Tensor) -> SynthImage {
        let image = vae.decode(latent * (1 / vae.config.scalingFactor))
        return SynthImage(width: image.shape[3], height: image.shape[2], pixels: ImageTensor.rgb8(image, index: 0))
    }

    /// Latent shape [1, C, h, w] the UNet samples in.
    public var latentShape: [Int] {
        let side = unet.config.sampleSize
        return [1, unet.config.inChannels, side, side]
    }

    /// The preview map fitted on 8 synthetic renders: encoded, then decoded, so the map imitates
    /// the decoder on latents like the ones sampling produces.
    static func fitPreviewMap(vae: AutoencoderKL) -> LatentPreviewMap {
        let dataset = SynthDataset(seed: 0x9E11E, imageSize: vae.config.sampleSize, identityCount: 8)
        let samples = dataset.samples(0..<8, threads: 1)
        let size = vae.config.sampleSize
        let images = Tensor(shape: [samples.count, 3, size, size], scalars: samples.flatMap { $0.image.floats() })
        let latents = vae.encode(images).mean
        return LatentPreviewMap.fit(latents: latents * vae.config.scalingFactor, images: vae.decode(latents))
    }
}
