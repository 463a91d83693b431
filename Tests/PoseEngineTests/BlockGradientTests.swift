import Testing
@testable import PoseEngine

/// Finite-difference checks of the composite diffusers blocks and of whole models.
@Suite struct BlockGradientTests {
    let check = GradientCheck()

    @Test func resnetBlockWithTimeEmbedding() {
        var g = SeededGenerator(seed: 30)
        let block = ResnetBlock2D(inChannels: 4, outChannels: 6, timeEmbeddingChannels: 5, groups: 2, eps: 1e-5, generator: &g)
        perturbParameters(block, seed: 31)
        check.verify(inputs: [randomTensor([2, 4, 4, 4], seed: 32), randomTensor([2, 5], seed: 33)],
                     parameters: block.namedParameters(),
                     run: { block.forward($0[0], timeEmbedding: $0[1]) },
                     backward: {
                         var dt: Tensor?
                         let dx = block.backward($0, timeEmbeddingGradient: &dt)
                         return [dx, dt ?? Tensor(zeros: [2, 5])]
                     })
    }

    @Test(arguments: [false, true])
    func transformer2D(linearProjection: Bool) {
        var g = SeededGenerator(seed: 34)
        let transformer = Transformer2DModel(channels: 8, heads: 2, contextDim: 6, groups: 2,
                                             linearProjection: linearProjection, generator: &g)
        perturbParameters(transformer, seed: 35)
        check.verify(inputs: [randomTensor([2, 8, 3, 3], seed: 36), randomTensor([2, 4, 6], seed: 37)],
                     parameters: transformer.namedParameters(),
                     run: { transformer.forward($0[0], context: $0[1]) },
                     backward: {
                         var dc = Tensor(zeros: [2, 4, 6])
                         let dx = transformer.backward($0, contextGradient: &dc)
                         return [dx, dc]
                     })
    }

    static let tinyUNet = UNet2DConditionConfig(
        sampleSize: 8, blockOutChannels: [8, 16], layersPerBlock: 1,
        downBlockTypes: ["CrossAttnDownBlock2D", "DownBlock2D"], upBlockTypes: ["UpBlock2D", "CrossAttnUpBlock2D"],
        crossAttentionDim: 6, attentionHeadDim: .int(2), normNumGroups: 4)

    @Test func unetFullBackward() throws {
        let unet = try UNet2DConditionModel(config: Self.tinyUNet, seed: 38)
        perturbParameters(unet, seed: 39)
        var sparse = check
        sparse.samplesPerTensor = 2
        let parameters = unet.namedParameters().filter { $0.name.hasSuffix("weight") }
        sparse.verify(inputs: [randomTensor([2, 4, 4, 4], seed: 40), randomTensor([2, 3, 6], seed: 41)],
                      parameters: parameters,
                      run: { unet.forward($0[0], timesteps: [5, 600], context: $0[1]).sample },
                      backward: { let d = unet.backward($0); return [d.sample, d.context] })
    }

    /// A loss on the mid block (and on two skips) reaches the sample through the down path alone.
    @Test(arguments: [[], [0, 2]])
    func unetDownPathBackward(read: [Int]) throws {
        let unet = try UNet2DConditionModel(config: Self.tinyUNet, seed: 48)
        perturbParameters(unet, seed: 49)
        var sparse = check
        sparse.samplesPerTensor = 3
        let parameters = unet.namedParameters().filter { !$0.name.hasPrefix("up_blocks") && !$0.name.hasPrefix("conv_") }
        var shapes: [[Int]] = []
        sparse.verify(inputs: [randomTensor([1, 4, 4, 4], seed: 50), randomTensor([1, 3, 6], seed: 51)],
                      parameters: Array(parameters.prefix(12)),
                      run: { inputs in
                          let path = unet.forwardDownPath(inputs[0], timesteps: [250], context: inputs[1])
                          let maps = [path.midBlock] + read.map { path.skips[$0] }
                          shapes = maps.map(\.shape)
                          return Tensor(shape: [1, maps.reduce(0) { $0 + $1.count }], scalars: maps.flatMap(\.scalars))
                      },
                      backward: { gradient in
                          var pieces: [Tensor] = []
                          var start = 0
                          for shape in shapes {
                              let count = shape.reduce(1, *)
                              pieces.append(Tensor(shape: shape, scalars: Array(gradient.scalars[start..<(start + count)])))
                              start += count
                          }
                          let skips = Dictionary(uniqueKeysWithValues: zip(read, pieces.dropFirst()))
                          let d = unet.backwardFromDownPath(UNetDownPathGradient(midBlock: pieces[0], skips: skips))
                          return [d.sample, d.context]
                      })
    }

    /// The skip shapes the config predicts are the ones the down path makes.
    @Test func unetSkipShapesMatchTheDownPath() throws {
        for config in [Self.tinyUNet, StudioModelConfigs.miniature.unet] {
            let unet = try UNet2DConditionModel(config: config, seed: 52)
            let side = config.sampleSize
            let path = unet.forwardDownPath(randomTensor([1, config.inChannels, side, side], seed: 53), timesteps: [10],
                                            context: randomTensor([1, 2, config.crossAttentionDim], seed: 54))
            #expect(path.skips.map { [1, $0.shape[1], $0.shape[2], $0.shape[3]] }
                    == config.skipShapes.map { [1, $0.channels, $0.side, $0.side] })
        }
        let shapes = DefaultModelConfigs.unet.skipShapes.map { "\($0.channels)@\($0.side)" }
        #expect(shapes == ["64@16", "64@16", "64@8", "128@8", "128@4", "128@4"])
    }

    static let tinyVAE = AutoencoderKLConfig(blockOutChannels: [4, 8], layersPerBlock: 1, latentChannels: 2,
                                             normNumGroups: 2, sampleSize: 8, scalingFactor: 0.5)

    @Test func vaeDecoderBackward() throws {
        let vae = try AutoencoderKL(config: Self.tinyVAE, seed: 46)
        perturbParameters(vae, seed: 47)
        var sparse = check
        sparse.samplesPerTensor = 3
        let parameters = vae.namedParameters().filter { $0.name.hasPrefix("decoder") || $0.name.hasPrefix("post") }
        sparse.verify(inputs: [randomTensor([2, 2, 3, 3], seed: 48)], parameters: parameters,
                      run: { vae.decode($0[0]) }, backward: { [vae.backwardDecode($0)] })
    }

    @Test func vaeEncoderBackward() throws {
        let vae = try AutoencoderKL(config: Self.tinyVAE, seed: 49)
        perturbParameters(vae, seed: 50)
        var sparse = check
        sparse.samplesPerTensor = 3
        let parameters = vae.namedParameters().filter { $0.name.hasPrefix("encoder") || $0.name.hasPrefix("quant") }
        sparse.verify(inputs: [randomTensor([2, 3, 6, 6], seed: 51)], parameters: parameters,
                      run: { let d = vae.encode($0[0]); return Layout.concatChannels(d.mean, d.logVariance) },
                      backward: {
                          let (dm, dl) = Layout.splitChannels($0, first: 2)
                          return [vae.backwardEncode(mean: dm, logVariance: dl)]
                      })
    }
}
