import Foundation
import Testing
@testable import PoseEngine

/// Deepening a trained face encoder or judge: the added residual units start as
/// identities, so the deeper network computes what the trained one did.
@Suite struct ConvEncoderDeepeningTests {
    static let config = ConvEncoderConfig(imageSize: 16, blockOutChannels: [8, 8, 16], normNumGroups: 4, outputDim: 5, hiddenDim: 16)

    @Test func aDeepenedJudgeGivesTheSameEstimates() throws {
        let judge = try PoseJudge(config: Self.config, seed: 3)
        perturbParameters(judge, seed: 4)
        let images = randomTensor([2, 3, 16, 16], seed: 5)
        let deeper = try judge.deepened(toLayersPerBlock: 3)
        #expect(deeper.config.layersPerBlock == 3)
        #expect(deeper.parameterCount > judge.parameterCount)
        let before = judge.forward(images).scalars, after = deeper.forward(images).scalars
        #expect(zip(before, after).allSatisfy { abs($0 - $1) < 1e-5 }, "\(before) vs \(after)")
    }

    @Test func aDeepenedFaceEncoderGivesTheSameEmbeddings() throws {
        var config = Self.config
        config.outputDim = 8
        let encoder = try FaceEncoder(config: config, seed: 6)
        perturbParameters(encoder, seed: 7)
        let images = randomTensor([2, 3, 16, 16], seed: 8)
        let before = encoder.forward(images).scalars
        let after = try encoder.deepened(toLayersPerBlock: 2).forward(images).scalars
        #expect(zip(before, after).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func aNetworkIsNotCutToFewerLayers() throws {
        var config = Self.config
        config.layersPerBlock = 2
        let judge = try PoseJudge(config: config, seed: 9)
        #expect(throws: ModelConfigError.self) { try judge.deepened(toLayersPerBlock: 1) }
        for depth in [0, 65] {
            config.layersPerBlock = depth
            #expect(throws: ModelConfigError.self) { try PoseJudge(config: config, seed: 9) }
        }
    }

    /// Folders written before layers_per_block existed hold one convolution per resolution, and a
    /// network with one is written exactly as before (its checkpoints' recorded layouts still match).
    @Test func aConfigWithoutLayersPerBlockHasOne() throws {
        let json = #"{"block_out_channels":[8,16],"hidden_dim":16,"image_size":16,"in_channels":3,"norm_num_groups":4,"output_dim":5}"#
        let config = try JSONDecoder().decode(ConvEncoderConfig.self, from: Data(json.utf8))
        #expect(config.layersPerBlock == 1)
        #expect(try SortedJSON.string(config, pretty: false) == json)
        var deeper = config
        deeper.layersPerBlock = 2
        #expect(try JSONDecoder().decode(ConvEncoderConfig.self, from: JSONEncoder().encode(deeper)) == deeper)
    }
}
