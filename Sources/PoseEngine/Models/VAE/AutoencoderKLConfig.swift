/// diffusers' AutoencoderKL config.json keys, with diffusers' defaults for absent ones.
public struct AutoencoderKLConfig: Codable, Sendable, Equatable {
    public var inChannels: Int
    public var outChannels: Int
    public var downBlockTypes: [String]
    public var upBlockTypes: [String]
    public var blockOutChannels: [Int]
    public var layersPerBlock: Int
    public var actFn: String
    public var latentChannels: Int
    public var normNumGroups: Int
    public var sampleSize: Int

    /// The latent side for a `sampleSize` image: each encoder block after the first halves it.
    public var latentSize: Int { sampleSize / downsamplingFactor }
    public var scalingFactor: Float
    public var shiftFactor: Float?
    public var useQuantConv: Bool
    public var usePostQuantConv: Bool
    public var midBlockAddAttention: Bool

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels", outChannels = "out_channels"
        case downBlockTypes = "down_block_types", upBlockTypes = "up_block_types"
        case blockOutChannels = "block_out_channels", layersPerBlock = "layers_per_block", actFn = "act_fn"
        case latentChannels = "latent_channels", normNumGroups = "norm_num_groups", sampleSize = "sample_size"
        case scalingFactor = "scaling_factor", shiftFactor = "shift_factor"
        case useQuantConv = "use_quant_conv", usePostQuantConv = "use_post_quant_conv"
        case midBlockAddAttention = "mid_block_add_attention"
    }

    public init(blockOutChannels: [Int], layersPerBlock: Int, latentChannels: Int, normNumGroups: Int,
                sampleSize: Int, scalingFactor: Float) {
        inChannels = 3
        outChannels = 3
        downBlockTypes = Array(repeating: "DownEncoderBlock2D", count: blockOutChannels.count)
        upBlockTypes = Array(repeating: "UpDecoderBlock2D", count: blockOutChannels.count)
        self.blockOutChannels = blockOutChannels
        self.layersPerBlock = layersPerBlock
        actFn = "silu"
        self.latentChannels = latentChannels
        self.normNumGroups = normNumGroups
        self.sampleSize = sampleSize
        self.scalingFactor = scalingFactor
        shiftFactor = nil
        useQuantConv = true
        usePostQuantConv = true
        midBlockAddAttention = true
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inChannels = try c.decodeIfPresent(Int.self, forKey: .inChannels) ?? 3
        outChannels = try c.decodeIfPresent(Int.self, forKey: .outChannels) ?? 3
        blockOutChannels = try c.decodeIfPresent([Int].self, forKey: .blockOutChannels) ?? [64]
        downBlockTypes = try c.decodeIfPresent([String].self, forKey: .downBlockTypes)
            ?? Array(repeating: "DownEncoderBlock2D", count: blockOutChannels.count)
        upBlockTypes = try c.decodeIfPresent([String].self, forKey: .upBlockTypes)
            ?? Array(repeating: "UpDecoderBlock2D", count: blockOutChannels.count)
        layersPerBlock = try c.decodeIfPresent(Int.self, forKey: .layersPerBlock) ?? 1
        actFn = try c.decodeIfPresent(String.self, forKey: .actFn) ?? "silu"
        latentChannels = try c.decodeIfPresent(Int.self, forKey: .latentChannels) ?? 4
        normNumGroups = try c.decodeIfPresent(Int.self, forKey: .normNumGroups) ?? 32
        sampleSize = try c.decodeIfPresent(Int.self, forKey: .sampleSize) ?? 32
        scalingFactor = try c.decodeIfPresent(Float.self, forKey: .scalingFactor) ?? 0.18215
        shiftFactor = try c.decodeIfPresent(Float.self, forKey: .shiftFactor)
        useQuantConv = try c.decodeIfPresent(Bool.self, forKey: .useQuantConv) ?? true
        usePostQuantConv = try c.decodeIfPresent(Bool.self, forKey: .usePostQuantConv) ?? true
        midBlockAddAttention = try c.decodeIfPresent(Bool.self, forKey: .midBlockAddAttention) ?? true
    }

    /// How many pixels one latent cell covers along each side.
    public var downsamplingFactor: Int { 1 << max(blockOutChannels.count - 1, 0) }

    public func problems() -> [String] {
        var problems: [String] = []
        let blocks = blockOutChannels.count
        if blocks == 0 { problems.append("block_out_channels is empty") }
        if downBlockTypes.count != blocks || upBlockTypes.count != blocks {
            problems.append("down_block_types and up_block_types must match block_out_channels (\(blocks))")
        }
        for t in downBlockTypes where t != "DownEncoderBlock2D" { problems.append("down block type \(t) is not supported") }
        for t in upBlockTypes where t != "UpDecoderBlock2D" { problems.append("up block type \(t) is not supported") }
        for c in blockOutChannels where c <= 0 || normNumGroups <= 0 || c % normNumGroups != 0 {
            problems.append("block_out_channels \(c) is not a positive multiple of norm_num_groups \(normNumGroups)")
        }
        problems += ModelConfigLimits.problems(
            widths: ModelConfigLimits.blockWidths(blockOutChannels)
                + [("latent_channels", latentChannels), ("in_channels", inChannels), ("out_channels", outChannels)],
            sides: [("sample_size", sampleSize)])
        if !(1...64).contains(layersPerBlock) { problems.append("layers_per_block \(layersPerBlock) is out of range") }
        if latentChannels <= 0 || inChannels <= 0 || outChannels <= 0 { problems.append("channel counts must be positive") }
        if actFn != "silu" { problems.append("act_fn \(actFn) is not supported (only silu)") }
        if !scalingFactor.isFinite || scalingFactor <= 0 { problems.append("scaling_factor must be a positive number") }
        return problems
    }
}
