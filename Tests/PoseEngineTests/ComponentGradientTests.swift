import Testing
@testable import PoseEngine

/// Finite-difference checks of PoseStudio's own model components.
@Suite struct ComponentGradientTests {
    let check = GradientCheck()

    @Test func poolingNormalizeAndFlatten() {
        for layer: Layer in [GlobalAveragePool(), L2Normalize(), Flatten()] {
            check.verify(inputs: [randomTensor([2, 3, 2, 2], seed: 70)], parameters: layer.namedParameters(),
                         run: { layer.forward(layer is L2Normalize ? $0[0].reshaped([2, 12]) : $0[0]) },
                         backward: { [layer.backward($0).reshaped([2, 3, 2, 2])] })
        }
    }

    @Test func textEncoderParameters() throws {
        let config = TextEncoderConfig(vocabulary: ["a", "sketch", "of", "person"], hiddenSize: 8, layers: 2, heads: 2, length: 6)
        let encoder = try TextEncoder(config: config)
        perturbParameters(encoder, seed: 71)
        let ids = encoder.tokenizer.encode("a sketch of a person") + encoder.tokenizer.encode("sketch")
        #expect(ids == [1, 4, 5, 6, 4, 2] + [1, 5, 2, 0, 0, 0])
        var sparse = check
        sparse.samplesPerTensor = 4
        sparse.verify(inputs: [], parameters: encoder.namedParameters(),
                      run: { _ in encoder.forward(ids: ids) },
                      backward: { encoder.backward($0); return [] })
    }

    @Test func faceEncoderAndProjector() throws {
        let encoder = try FaceEncoder(config: ConvEncoderConfig(imageSize: 8, blockOutChannels: [4, 8], normNumGroups: 2,
                                                                outputDim: 5, hiddenDim: 6), seed: 72)
        perturbParameters(encoder, seed: 73)
        var sparse = check
        sparse.samplesPerTensor = 4
        sparse.verify(inputs: [randomTensor([2, 3, 8, 8], seed: 74)], parameters: encoder.namedParameters(),
                      run: { encoder.forward($0[0]) }, backward: { [encoder.backward($0)] })

        let projector = try FaceProjector(config: FaceProjectorConfig(embeddingDim: 5, hiddenDim: 7, numTokens: 3, crossAttentionDim: 4), seed: 75)
        perturbParameters(projector, seed: 76)
        sparse.verify(inputs: [randomTensor([2, 5], seed: 77)], parameters: projector.namedParameters(),
                      run: { projector.forward($0[0]) }, backward: { [projector.backward($0)] })
    }

    @Test func poseReadoutHeadAndJudge() throws {
        let head = try PoseReadoutHead(config: PoseReadoutHeadConfig(inChannels: 8, featureSize: 2, bottleneckChannels: 4,
                                                                     hiddenDim: 6, timestepDim: 4, normNumGroups: 2), seed: 78)
        perturbParameters(head, seed: 79)
        var sparse = check
        sparse.samplesPerTensor = 4
        sparse.verify(inputs: [randomTensor([2, 8, 2, 2], seed: 80)], parameters: head.namedParameters(),
                      run: { head.forward(UNetDownPath(midBlock: $0[0], skips: []), timesteps: [3, 700]) },
                      backward: { [head.backward($0).midBlock] })

        let judge = try PoseJudge(config: ConvEncoderConfig(imageSize: 8, blockOutChannels: [4, 8], normNumGroups: 2,
                                                            outputDim: 5, hiddenDim: 6, layersPerBlock: 2), seed: 81)
        perturbParameters(judge, seed: 82)
        sparse.verify(inputs: [randomTensor([2, 3, 8, 8], seed: 83)], parameters: judge.namedParameters(),
                      run: { judge.forward($0[0]) }, backward: { [judge.backward($0)] })
    }

    /// A head that also reads two finer skips: the gradient reaches each skip it reads, and only those.
    @Test func poseReadoutHeadReadingSkips() throws {
        var config = PoseReadoutHeadConfig(inChannels: 8, featureSize: 2, bottleneckChannels: 4, hiddenDim: 6,
                                           timestepDim: 4, normNumGroups: 2)
        config.readSkips = [.init(index: 2, channels: 6, side: 4), .init(index: 0, channels: 3, side: 8)]
        let head = try PoseReadoutHead(config: config, seed: 84)
        perturbParameters(head, seed: 85)
        let unread = randomTensor([2, 5, 2, 2], seed: 86)
        var sparse = check
        sparse.samplesPerTensor = 4
        sparse.verify(inputs: [randomTensor([2, 8, 2, 2], seed: 87), randomTensor([2, 6, 4, 4], seed: 88),
                               randomTensor([2, 3, 8, 8], seed: 89)],
                      parameters: head.namedParameters(),
                      run: { head.forward(UNetDownPath(midBlock: $0[0], skips: [$0[2], unread, $0[1]]), timesteps: [3, 700]) },
                      backward: { gradient in
                          let d = head.backward(gradient)
                          #expect(d.skips[1] == nil && d.skips.count == 2)
                          return [d.midBlock, d.skips[2] ?? Tensor(zeros: [0]), d.skips[0] ?? Tensor(zeros: [0])]
                      })
        #expect(head.namedParameters().contains { $0.name.hasPrefix("skip_readers.1.") })
    }

    /// Skips read through convolutions at their own sides: the gradient passes through each of them.
    @Test func poseReadoutHeadWithSkipReaderLayers() throws {
        var config = PoseReadoutHeadConfig(inChannels: 8, featureSize: 2, bottleneckChannels: 4, hiddenDim: 6,
                                           timestepDim: 4, normNumGroups: 2)
        config.readSkips = [.init(index: 0, channels: 4, side: 8), .init(index: 1, channels: 6, side: 4)]
        config.skipReaderLayers = 2
        let head = try PoseReadoutHead(config: config, seed: 90)
        perturbParameters(head, seed: 91)
        var sparse = check
        sparse.samplesPerTensor = 4
        sparse.verify(inputs: [randomTensor([2, 8, 2, 2], seed: 92), randomTensor([2, 4, 8, 8], seed: 93),
                               randomTensor([2, 6, 4, 4], seed: 94)],
                      parameters: head.namedParameters(),
                      run: { head.forward(UNetDownPath(midBlock: $0[0], skips: [$0[1], $0[2]]), timesteps: [3, 700]) },
                      backward: { gradient in
                          let d = head.backward(gradient)
                          return [d.midBlock, d.skips[0] ?? Tensor(zeros: [0]), d.skips[1] ?? Tensor(zeros: [0])]
                      })
        // Two convolutions and their norms, then the patch projection and its norm, per skip.
        let names = Set(head.namedParameters().map(\.name))
        #expect(names.contains("skip_readers.0.2.weight") && names.contains("skip_readers.1.5.weight"))
        #expect(!names.contains("skip_readers.0.6.weight"))
    }

    @Test func poseValuesRoundTripThroughNormalisation() {
        let pose = PoseValues(pitch: -30, yaw: 75, x: 0.2, y: -0.4, scale: 0.8)
        let back = PoseValues(normalized: pose.normalized)
        for (a, b) in zip(pose.array, back.array) { #expect(abs(a - b) < 1e-5) }
        #expect(pose.normalized.allSatisfy { abs($0) <= 1 })
    }
}
