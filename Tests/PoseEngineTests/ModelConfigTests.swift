import Foundation
import Testing
@testable import PoseEngine

/// diffusers configs decode as diffusers fills them, and options the engine does not
/// implement are refused by name instead of being computed wrong.
@Suite struct ModelConfigTests {
    private func decode(_ json: String) throws -> UNet2DConditionConfig {
        try JSONDecoder().decode(UNet2DConditionConfig.self, from: Data(json.utf8))
    }

    @Test func referenceConfigDecodesWithoutProblems() throws {
        let url = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tools/reference/default_unet_config.json")
        let config = try ConfigFile.decode(UNet2DConditionConfig.self, from: url)
        #expect(config.problems().isEmpty, "\(config.problems())")
        #expect(config == DefaultModelConfigs.unet)
    }

    @Test func unsupportedOptionsAreNamed() throws {
        let config = try decode("""
        {"block_out_channels": [32, 64], "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D"],
         "up_block_types": ["CrossAttnUpBlock2D", "UpBlock2D"], "norm_num_groups": 8, "attention_head_dim": [2, 4, 8],
         "conv_in_kernel": 5, "time_cond_proj_dim": 256, "mid_block_scale_factor": 1.0, "class_embed_type": "timestep"}
        """)
        let problems = config.problems().joined(separator: "; ")
        #expect(problems.contains("conv_in_kernel = 5"))
        #expect(problems.contains("time_cond_proj_dim = 256"))
        #expect(!problems.contains("mid_block_scale_factor"))
        #expect(problems.contains("class_embed_type timestep"))
        #expect(problems.contains("attention_head_dim has 3 entries for 2 blocks"))
        #expect(throws: ModelConfigError.self) { try UNet2DConditionModel(config: config) }
    }

    /// A width with a digit too many is refused by name, before any weight is allocated.
    @Test func channelCountsPastTheLimitAreNamed() throws {
        var unet = DefaultModelConfigs.unet
        unet.blockOutChannels[unet.blockOutChannels.count - 1] = 65536
        #expect(unet.problems().contains("block_out_channels 65536 is more than 8192"), "\(unet.problems())")
        #expect(throws: ModelConfigError.self) { try UNet2DConditionModel(config: unet) }
        var vae = DefaultModelConfigs.vae
        vae.blockOutChannels[0] = 12800
        #expect(vae.problems().contains("block_out_channels 12800 is more than 8192"), "\(vae.problems())")
        #expect(DefaultModelConfigs.unet.problems().isEmpty && DefaultModelConfigs.vae.problems().isEmpty)
    }

    /// Every component's sizes are bounded: a VAE asking for 100000-pixel pictures aborted the
    /// process when the studio fitted its preview map.
    @Test func everyComponentsSizesPastTheLimitAreNamed() throws {
        var vae = DefaultModelConfigs.vae
        vae.sampleSize = 100_000
        #expect(vae.problems() == ["sample_size 100000 is more than 2048"])
        #expect(throws: ModelConfigError.self) { try AutoencoderKL(config: vae) }
        var unet = DefaultModelConfigs.unet
        unet.sampleSize = 4096
        #expect(unet.problems() == ["sample_size 4096 is more than 2048"])
        unet.sampleSize = -16
        #expect(unet.problems() == ["sample_size -16 must be positive"], "not a pose head's mismatch")
        unet.sampleSize = DefaultModelConfigs.unet.sampleSize
        unet.normEps = -1
        #expect(unet.problems() == ["norm_eps -1.0 must be a number of at least 0"], "a negative epsilon makes GroupNorm's variance NaN")
        var text = DefaultModelConfigs.textEncoder
        text.intermediateSize = 1_000_000
        #expect(text.problems() == ["intermediate_size 1000000 is more than 8192"])
        var face = DefaultModelConfigs.faceEncoder
        (face.hiddenDim, face.imageSize) = (65536, 4096)
        #expect(face.problems() == ["hidden_dim 65536 is more than 8192", "image_size 4096 is more than 2048"])
        var projector = DefaultModelConfigs.faceProjector
        projector.hiddenDim = 100_000
        #expect(projector.problems() == ["hidden_dim 100000 is more than 8192"])
        var head = DefaultModelConfigs.poseHead
        head.bottleneckChannels = 16384
        #expect(head.problems() == ["bottleneck_channels 16384 is more than 8192"])
        let all: [[String]] = [DefaultModelConfigs.textEncoder.problems(), DefaultModelConfigs.faceEncoder.problems(),
                               DefaultModelConfigs.faceProjector.problems(), DefaultModelConfigs.poseHead.problems(),
                               DefaultModelConfigs.judge.problems()]
        #expect(all.allSatisfy { $0.isEmpty }, "\(all)")
    }

    /// Loaded from a folder, a config that cannot be built is named by its file.
    @Test func aComponentFolderNamesTheConfigItCannotBuild() throws {
        let scratch = try SafeTensorsScratch()
        var vae = DefaultModelConfigs.vae
        vae.sampleSize = 100_000
        try SortedJSON.data(vae).write(to: scratch.directory.appendingPathComponent("config.json"))
        let error = #expect(throws: ComponentConfigError.self) { try AutoencoderKL.load(from: scratch.directory) }
        #expect(error?.description == scratch.path("config.json") + ": AutoencoderKL config cannot be built: sample_size 100000 is more than 2048")
    }

    /// A pose head's guidance gains are optional (all 1 when absent), five, finite and not negative.
    @Test func poseHeadGuidanceGainsAreOptionalAndChecked() throws {
        let base = #"{"in_channels": 16, "feature_size": 2, "bottleneck_channels": 8, "hidden_dim": 8, "timestep_dim": 8, "norm_num_groups": 4, "outputs": 5"#
        func config(_ extra: String) throws -> PoseReadoutHeadConfig {
            try JSONDecoder().decode(PoseReadoutHeadConfig.self, from: Data((base + extra + "}").utf8))
        }
        let plain = try config("")
        #expect(plain.problems().isEmpty && plain.gains == [1, 1, 1, 1, 1])
        let gained = try config(#", "guidance_gains": [1, 6, 2, 2, 3]"#)
        #expect(gained.problems().isEmpty && gained.gains == [1, 6, 2, 2, 3])
        #expect(try JSONDecoder().decode(PoseReadoutHeadConfig.self, from: JSONEncoder().encode(gained)) == gained)
        #expect(try config(#", "guidance_gains": [1, 2]"#).problems().contains { $0.contains("guidance_gains") })
        #expect(try config(#", "guidance_gains": [1, -1, 1, 1, 1]"#).problems().contains { $0.contains("guidance_gains") })
    }

    /// Skips a head reads are checked against themselves and against the UNet's down path.
    @Test func poseHeadSkipReadsAreChecked() throws {
        let unet = DefaultModelConfigs.unet
        #expect(unet.blockOutputSkips == [1, 3])
        let head = PoseReadoutHeadConfig(readingMidBlockOf: unet, skips: unet.blockOutputSkips)
        #expect(head.problems().isEmpty)
        #expect(head.skipReads == [.init(index: 1, channels: 64, side: 16), .init(index: 3, channels: 128, side: 8)])
        #expect(try JSONDecoder().decode(PoseReadoutHeadConfig.self, from: JSONEncoder().encode(head)) == head)
        let plain = PoseReadoutHeadConfig(readingMidBlockOf: unet)
        #expect(try !String(decoding: JSONEncoder().encode(plain), as: UTF8.self).contains("read_skips"))

        var twice = head
        twice.readSkips = [.init(index: 1, channels: 64, side: 16), .init(index: 1, channels: 64, side: 16)]
        #expect(twice.problems().contains("read_skips names a skip twice"))
        var uneven = head
        uneven.readSkips = [.init(index: 1, channels: 64, side: 6)]
        #expect(uneven.problems().contains { $0.contains("multiple of feature_size 4") })

        let configs = StudioModelConfigs.standard
        func problems(_ head: PoseReadoutHeadConfig) -> [String] {
            ModelCompatibility.problems(unet: unet, vae: configs.vae, textEncoder: configs.textEncoder,
                                        faceProjector: configs.faceProjector, poseHead: head)
        }
        #expect(problems(head).isEmpty)
        var wrongChannels = head
        wrongChannels.readSkips = [.init(index: 3, channels: 64, side: 8)]
        #expect(problems(wrongChannels) == ["pose_head reads skip 3 as 64 channels at side 8, but the unet's is 128 channels at side 8"])
        #expect(problems(PoseReadoutHeadConfig(readingMidBlockOf: unet, skips: [9]))
            .contains { $0.contains("missing (it has 6 skips)") })
    }

    /// Convolutions at the skips' own sides are optional (absent: none, and not written), at most
    /// four, and need skips whose channels GroupNorm can split.
    @Test func poseHeadSkipReaderLayersAreOptionalAndChecked() throws {
        let unet = DefaultModelConfigs.unet
        let plain = PoseReadoutHeadConfig(readingMidBlockOf: unet, skips: [1, 3])
        #expect(plain.readerLayers == 0)
        #expect(try !String(decoding: JSONEncoder().encode(plain), as: UTF8.self).contains("skip_reader_layers"))
        let deep = PoseReadoutHeadConfig(readingMidBlockOf: unet, skips: [1, 3], readerLayers: 2)
        #expect(deep.problems().isEmpty && deep.readerLayers == 2)
        #expect(try JSONDecoder().decode(PoseReadoutHeadConfig.self, from: JSONEncoder().encode(deep)) == deep)
        var tooDeep = deep
        tooDeep.skipReaderLayers = 5
        #expect(tooDeep.problems().contains("skip_reader_layers must be 0 to 4, not 5"))
        var odd = deep
        odd.readSkips = [.init(index: 0, channels: 3, side: 16)]
        #expect(odd.problems().contains { $0.contains("skip 0 has 3") })
        odd.skipReaderLayers = 0
        #expect(odd.problems().isEmpty)
    }

    @Test func savedConfigRoundTrips() throws {
        let data = try JSONEncoder().encode(DefaultModelConfigs.unet)
        #expect(try JSONDecoder().decode(UNet2DConditionConfig.self, from: data) == DefaultModelConfigs.unet)
        let vae = try JSONDecoder().decode(AutoencoderKLConfig.self, from: JSONEncoder().encode(DefaultModelConfigs.vae))
        #expect(vae == DefaultModelConfigs.vae)
    }

    @Test func componentsThatDoNotFitTogetherAreNamed() {
        for configs in [StudioModelConfigs.standard, StudioModelConfigs.miniature] {
            #expect(ModelCompatibility.problems(unet: configs.unet, vae: configs.vae, textEncoder: configs.textEncoder,
                                                faceProjector: configs.faceProjector, faceEncoder: configs.faceEncoder,
                                                poseHead: configs.poseHead).isEmpty)
        }
        let m = StudioModelConfigs.miniature
        #expect(m.poseHead.skipReads == [.init(index: 1, channels: 16, side: 8)],
                "the miniature head reads a skip, so the tests guide through one")
        var wideVAE = m.vae
        wideVAE.latentChannels = 8
        var otherText = m.textEncoder
        otherText.hiddenSize = 16
        let problems = ModelCompatibility.problems(unet: m.unet, vae: wideVAE, textEncoder: otherText, faceProjector: m.faceProjector)
        #expect(problems == ["unet in/out_channels 4/4 differ from vae latent_channels 8",
                             "text_encoder hidden_size 16 differs from unet cross_attention_dim 32"])
        var bigImages = m.vae
        bigImages.sampleSize = m.vae.sampleSize * 2
        #expect(ModelCompatibility.problems(unet: m.unet, vae: bigImages, textEncoder: m.textEncoder, faceProjector: m.faceProjector,
                                            forTraining: true)
                == ["unet sample_size 8 differs from the 16x16 latents of the vae's 32x32 images"])
        #expect(ModelCompatibility.problems(unet: m.unet, vae: bigImages, textEncoder: m.textEncoder, faceProjector: m.faceProjector)
                .isEmpty, "sampling takes its size from the UNet, so such a folder still loads")
        #expect(DefaultModelConfigs.vae.latentSize == DefaultModelConfigs.unet.sampleSize)
    }

    @Test func aJudgeOfAnotherSizeThanTheVAEIsNamed() {
        let vae = StudioModelConfigs.miniature.vae
        #expect(ModelCompatibility.judgeSizeMismatch(judgeImageSize: vae.sampleSize, vae: vae) == nil)
        #expect(ModelCompatibility.judgeSizeMismatch(judgeImageSize: vae.sampleSize * 2, vae: vae)
                == "the judge reads \(vae.sampleSize * 2)px images and the VAE makes \(vae.sampleSize)px ones")
    }
}
