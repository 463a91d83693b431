/// The config.json of PoseStudio's pixel-space CNNs (face encoder, pose judge):
/// a 3x3 stem, then one stride-2 3x3 convolution per further entry of
/// block_out_channels, each followed by GroupNorm + SiLU and then by
/// layers_per_block - 1 residual units at that resolution.
public struct ConvEncoderConfig: Codable, Sendable, Equatable {
    public var inChannels: Int
    public var imageSize: Int
    public var blockOutChannels: [Int]
    public var normNumGroups: Int
    public var outputDim: Int
    public var hiddenDim: Int
    /// Convolutions per resolution; folders written before it existed had one.
    public var layersPerBlock: Int

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels", imageSize = "image_size", blockOutChannels = "block_out_channels"
        case normNumGroups = "norm_num_groups", outputDim = "output_dim", hiddenDim = "hidden_dim"
        case layersPerBlock = "layers_per_block"
    }

    public init(imageSize: Int, blockOutChannels: [Int], normNumGroups: Int, outputDim: Int, hiddenDim: Int,
                layersPerBlock: Int = 1) {
        inChannels = 3
        self.imageSize = imageSize
        self.blockOutChannels = blockOutChannels
        self.normNumGroups = normNumGroups
        self.outputDim = outputDim
        self.hiddenDim = hiddenDim
        self.layersPerBlock = layersPerBlock
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inChannels = try c.decode(Int.self, forKey: .inChannels)
        imageSize = try c.decode(Int.self, forKey: .imageSize)
        blockOutChannels = try c.decode([Int].self, forKey: .blockOutChannels)
        normNumGroups = try c.decode(Int.self, forKey: .normNumGroups)
        outputDim = try c.decode(Int.self, forKey: .outputDim)
        hiddenDim = try c.decode(Int.self, forKey: .hiddenDim)
        layersPerBlock = try c.decodeIfPresent(Int.self, forKey: .layersPerBlock) ?? 1
    }

    /// Leaves layers_per_block out at 1, so the config of a network without residual units is
    /// written as it always was: its files, and the layouts its checkpoints record, stay the same.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(inChannels, forKey: .inChannels)
        try c.encode(imageSize, forKey: .imageSize)
        try c.encode(blockOutChannels, forKey: .blockOutChannels)
        try c.encode(normNumGroups, forKey: .normNumGroups)
        try c.encode(outputDim, forKey: .outputDim)
        try c.encode(hiddenDim, forKey: .hiddenDim)
        if layersPerBlock != 1 { try c.encode(layersPerBlock, forKey: .layersPerBlock) }
    }

    /// The depths a config may ask for: enough for any network this engine trains on a CPU.
    public static let layersPerBlockRange = 1...64

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
        if !Self.layersPerBlockRange.contains(layersPerBlock) {
            problems.append("layers_per_block \(layersPerBlock) is outside \(Self.layersPerBlockRange)")
        }
        problems += ModelConfigLimits.problems(
            widths: ModelConfigLimits.blockWidths(blockOutChannels)
                + [("in_channels", inChannels), ("output_dim", outputDim), ("hidden_dim", hiddenDim)],
            sides: [("image_size", imageSize)])
        return problems
    }
}

/// The shared convolutional trunk: image [N, 3, S, S] -> features [N, C, S/f, S/f].
/// Each stage is named `blocks.i`: its convolution `blocks.i.0`, GroupNorm
/// `blocks.i.1`, then residual units `blocks.i.2`, `blocks.i.3`, ...
final class ConvTrunk: ParameterVisitable {
    let stages: [Sequential]

    init(config: ConvEncoderConfig, generator: inout SeededGenerator) {
        var stages: [Sequential] = []
        var channels = config.inChannels
        for (i, out) in config.blockOutChannels.enumerated() {
            var layers: [Layer] = [
                Conv2d(channels, out, kernel: 3, stride: i == 0 ? 1 : 2, padding: 1, generator: &generator),
                GroupNorm(groups: config.normNumGroups, channels: out, eps: 1e-5, fusedSiLU: true),
            ]
            for _ in 1..<max(config.layersPerBlock, 1) {
                layers.append(ResidualConvUnit(channels: out, groups: config.normNumGroups, generator: &generator))
            }
            stages.append(Sequential(layers))
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
