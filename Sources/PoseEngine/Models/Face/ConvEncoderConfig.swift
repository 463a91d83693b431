/// The config.json of PoseStudio's pixel-space CNNs (face encoder, pose judge):
/// a 3x3 stem, then one stride-2 3x3 convolution per further entry of
/// block_out_channels, each followed by GroupNorm + SiLU.
public struct ConvEncoderConfig: Codable, Sendable, Equatable {
    public var inChannels: Int
    public var imageSize: Int
    public var blockOutChannels: [Int]
    public var normNumGroups: Int
    public var outputDim: Int
    public var hiddenDim: Int

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels", imageSize = "image_size", blockOutChannels = "block_out_channels"
        case normNumGroups = "norm_num_groups", outputDim = "output_dim", hiddenDim = "hidden_dim"
    }

    public init(imageSize: Int, blockOutChannels: [Int], normNumGroups: Int, outputDim: Int, hiddenDim: Int) {
        inChannels = 3
        self.imageSize = imageSize
        self.blockOutChannels = blockOutChannels
        self.normNumGroups = normNumGroups
        self.outputDim = outputDim
        self.hiddenDim = hiddenDim
    }

    /// Side of the last feature map.
    public var featureSize: Int { imageSize >> max(blockOutChannels.count - 1, 0) }

    public func problems() -> [String] {
        var problems: [String] = []
        if blockOutChannels.isEmpty { problems.append("block_out_channels is empty") }
        for c in blockOutChannels where c <= 0 || normNumGroups <= 0 || c % normNumGroups != 0 {
            problems.append("block_out_channels \(c) is not a positive multiple of norm_num_groups \(normNumGroups)")
        }
        if imageSize <= 0 || featureSize << max(blockOutChannels.count - 1, 0) != imageSize {
            problems.append("image_size \(imageSize) does not halve evenly \(max(blockOutChannels.count - 1, 0)) times")
        }
        if outputDim <= 0 || hiddenDim <= 0 || inChannels <= 0 { problems.append("dimensions must be positive") }
        return problems
    }
}

/// The shared convolutional trunk: image [N, 3, S, S] -> features [N, C, S/f, S/f].
final class ConvTrunk: ParameterVisitable {
    let stages: [Sequential]

    init(config: ConvEncoderConfig, generator: inout SeededGenerator) {
        var stages: [Sequential] = []
        var channels = config.inChannels
        for (i, out) in config.blockOutChannels.enumerated() {
            stages.append(Sequential([
                Conv2d(channels, out, kernel: 3, stride: i == 0 ? 1 : 2, padding: 1, generator: &generator),
                GroupNorm(groups: config.normNumGroups, channels: out, eps: 1e-5, fusedSiLU: true),
            ]))
            channels = out
        }
        self.stages = stages
    }

    func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(stages, as: "blocks", visit)
    }

    func forward(_ x: Tensor) -> Tensor { stages.reduce(x) { $1.forward($0) } }
    func backward(_ gradOutput: Tensor) -> Tensor { stages.reversed().reduce(gradOutput) { $1.backward($0) } }
}
