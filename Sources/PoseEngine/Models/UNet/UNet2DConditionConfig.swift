/// The subset of diffusers' UNet2DConditionModel config.json that PoseStudio
/// implements. Keys are diffusers' own, so a diffusers checkpoint's config
/// decodes as it is; options this engine does not implement are rejected by
/// `validate()` with a message naming them, rather than silently ignored.
public struct UNet2DConditionConfig: Codable, Sendable, Equatable {
    public var sampleSize: Int
    public var inChannels: Int
    public var outChannels: Int
    public var blockOutChannels: [Int]
    public var layersPerBlock: Int
    public var downBlockTypes: [String]
    public var upBlockTypes: [String]
    public var midBlockType: String?
    public var crossAttentionDim: Int
    public var attentionHeadDim: IntOrList
    public var numAttentionHeads: IntOrList?
    public var transformerLayersPerBlock: IntOrList?
    public var normNumGroups: Int
    public var normEps: Float
    public var useLinearProjection: Bool
    public var flipSinToCos: Bool
    public var freqShift: Float
    public var centerInputSample: Bool
    public var actFn: String
    public var timeEmbeddingType: String
    public var resnetTimeScaleShift: String
    public var classEmbedType: String?
    public var additionEmbedType: String?
    public var onlyCrossAttention: Bool
    public var dualCrossAttention: Bool
    /// Keys that change the computation in ways this engine does not implement,
    /// with the values found (nil when absent or at diffusers' neutral default).
    public var unsupportedOptions: [String: String] = [:]

    enum CodingKeys: String, CodingKey {
        case sampleSize = "sample_size", inChannels = "in_channels", outChannels = "out_channels"
        case blockOutChannels = "block_out_channels", layersPerBlock = "layers_per_block"
        case downBlockTypes = "down_block_types", upBlockTypes = "up_block_types", midBlockType = "mid_block_type"
        case crossAttentionDim = "cross_attention_dim", attentionHeadDim = "attention_head_dim"
        case numAttentionHeads = "num_attention_heads", transformerLayersPerBlock = "transformer_layers_per_block"
        case normNumGroups = "norm_num_groups", normEps = "norm_eps", useLinearProjection = "use_linear_projection"
        case flipSinToCos = "flip_sin_to_cos", freqShift = "freq_shift", centerInputSample = "center_input_sample"
        case actFn = "act_fn", timeEmbeddingType = "time_embedding_type", resnetTimeScaleShift = "resnet_time_scale_shift"
        case classEmbedType = "class_embed_type", additionEmbedType = "addition_embed_type"
        case onlyCrossAttention = "only_cross_attention", dualCrossAttention = "dual_cross_attention"
    }

    /// Writes the implemented keys; the unsupported ones are never written (a config this engine
    /// saves only ever describes what it computes).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sampleSize, forKey: .sampleSize)
        try c.encode(inChannels, forKey: .inChannels)
        try c.encode(outChannels, forKey: .outChannels)
        try c.encode(blockOutChannels, forKey: .blockOutChannels)
        try c.encode(layersPerBlock, forKey: .layersPerBlock)
        try c.encode(downBlockTypes, forKey: .downBlockTypes)
        try c.encode(upBlockTypes, forKey: .upBlockTypes)
        try c.encodeIfPresent(midBlockType, forKey: .midBlockType)
        try c.encode(crossAttentionDim, forKey: .crossAttentionDim)
        try c.encode(attentionHeadDim, forKey: .attentionHeadDim)
        try c.encodeIfPresent(numAttentionHeads, forKey: .numAttentionHeads)
        try c.encodeIfPresent(transformerLayersPerBlock, forKey: .transformerLayersPerBlock)
        try c.encode(normNumGroups, forKey: .normNumGroups)
        try c.encode(normEps, forKey: .normEps)
        try c.encode(useLinearProjection, forKey: .useLinearProjection)
        try c.encode(flipSinToCos, forKey: .flipSinToCos)
        try c.encode(freqShift, forKey: .freqShift)
        try c.encode(centerInputSample, forKey: .centerInputSample)
        try c.encode(actFn, forKey: .actFn)
        try c.encode(timeEmbeddingType, forKey: .timeEmbeddingType)
        try c.encode(resnetTimeScaleShift, forKey: .resnetTimeScaleShift)
        try c.encodeIfPresent(classEmbedType, forKey: .classEmbedType)
        try c.encodeIfPresent(additionEmbedType, forKey: .additionEmbedType)
        try c.encode(onlyCrossAttention, forKey: .onlyCrossAttention)
        try c.encode(dualCrossAttention, forKey: .dualCrossAttention)
    }

    public init(sampleSize: Int, inChannels: Int = 4, outChannels: Int = 4, blockOutChannels: [Int],
                layersPerBlock: Int, downBlockTypes: [String], upBlockTypes: [String], crossAttentionDim: Int,
                attentionHeadDim: IntOrList, normNumGroups: Int, useLinearProjection: Bool = false) {
        self.sampleSize = sampleSize
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.blockOutChannels = blockOutChannels
        self.layersPerBlock = layersPerBlock
        self.downBlockTypes = downBlockTypes
        self.upBlockTypes = upBlockTypes
        self.midBlockType = "UNetMidBlock2DCrossAttn"
        self.crossAttentionDim = crossAttentionDim
        self.attentionHeadDim = attentionHeadDim
        self.transformerLayersPerBlock = .int(1)
        self.normNumGroups = normNumGroups
        self.normEps = 1e-5
        self.useLinearProjection = useLinearProjection
        self.flipSinToCos = true
        self.freqShift = 0
        self.centerInputSample = false
        self.actFn = "silu"
        self.timeEmbeddingType = "positional"
        self.resnetTimeScaleShift = "default"
        self.onlyCrossAttention = false
        self.dualCrossAttention = false
    }

    /// diffusers fills absent keys with its defaults; so does PoseStudio.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sampleSize = try c.decodeIfPresent(Int.self, forKey: .sampleSize) ?? 64
        inChannels = try c.decodeIfPresent(Int.self, forKey: .inChannels) ?? 4
        outChannels = try c.decodeIfPresent(Int.self, forKey: .outChannels) ?? 4
        blockOutChannels = try c.decodeIfPresent([Int].self, forKey: .blockOutChannels) ?? [320, 640, 1280, 1280]
        layersPerBlock = try c.decodeIfPresent(Int.self, forKey: .layersPerBlock) ?? 2
        downBlockTypes = try c.decodeIfPresent([String].self, forKey: .downBlockTypes)
            ?? ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"]
        upBlockTypes = try c.decodeIfPresent([String].self, forKey: .upBlockTypes)
            ?? ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"]
        midBlockType = try c.decodeIfPresent(String.self, forKey: .midBlockType) ?? "UNetMidBlock2DCrossAttn"
        crossAttentionDim = try c.decodeIfPresent(Int.self, forKey: .crossAttentionDim) ?? 1280
        attentionHeadDim = try c.decodeIfPresent(IntOrList.self, forKey: .attentionHeadDim) ?? .int(8)
        numAttentionHeads = try c.decodeIfPresent(IntOrList.self, forKey: .numAttentionHeads)
        transformerLayersPerBlock = try c.decodeIfPresent(IntOrList.self, forKey: .transformerLayersPerBlock)
        normNumGroups = try c.decodeIfPresent(Int.self, forKey: .normNumGroups) ?? 32
        normEps = try c.decodeIfPresent(Float.self, forKey: .normEps) ?? 1e-5
        useLinearProjection = try c.decodeIfPresent(Bool.self, forKey: .useLinearProjection) ?? false
        flipSinToCos = try c.decodeIfPresent(Bool.self, forKey: .flipSinToCos) ?? true
        freqShift = try c.decodeIfPresent(Float.self, forKey: .freqShift) ?? 0
        centerInputSample = try c.decodeIfPresent(Bool.self, forKey: .centerInputSample) ?? false
        actFn = try c.decodeIfPresent(String.self, forKey: .actFn) ?? "silu"
        timeEmbeddingType = try c.decodeIfPresent(String.self, forKey: .timeEmbeddingType) ?? "positional"
        resnetTimeScaleShift = try c.decodeIfPresent(String.self, forKey: .resnetTimeScaleShift) ?? "default"
        classEmbedType = try c.decodeIfPresent(String.self, forKey: .classEmbedType)
        additionEmbedType = try c.decodeIfPresent(String.self, forKey: .additionEmbedType)
        onlyCrossAttention = (try? c.decodeIfPresent(Bool.self, forKey: .onlyCrossAttention)) ?? false
        dualCrossAttention = try c.decodeIfPresent(Bool.self, forKey: .dualCrossAttention) ?? false
        unsupportedOptions = try Self.unsupportedOptions(in: decoder)
    }

    /// diffusers options whose non-default values this engine would silently compute wrong.
    private static let neutralValues: [String: String] = [
        "conv_in_kernel": "3", "conv_out_kernel": "3", "mid_block_scale_factor": "1", "resnet_out_scale_factor": "1",
        "downsample_padding": "1", "resnet_skip_time_act": "false", "class_embeddings_concat": "false",
        "time_embedding_dim": "null", "time_cond_proj_dim": "null", "encoder_hid_dim": "null",
        "encoder_hid_dim_type": "null", "cross_attention_norm": "null", "timestep_post_act": "null",
        "time_embedding_act_fn": "null", "attention_type": "default", "num_class_embeds": "null",
        "mid_block_only_cross_attention": "null", "reverse_transformer_layers_per_block": "null",
    ]

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static func unsupportedOptions(in decoder: Decoder) throws -> [String: String] {
        let c = try decoder.container(keyedBy: AnyKey.self)
        var found: [String: String] = [:]
        for (key, neutral) in neutralValues {
            let k = AnyKey(stringValue: key)
            guard c.contains(k), !(try c.decodeNil(forKey: k)) else { continue }
            let text: String
            if let v = try? c.decode(Double.self, forKey: k) {
                text = v == v.rounded() ? String(Int(v)) : String(v)
            } else if let v = try? c.decode(Bool.self, forKey: k) {
                text = String(v)
            } else if let v = try? c.decode(String.self, forKey: k) {
                text = v
            } else {
                text = "(a list or object)"
            }
            if text != neutral { found[key] = text }
        }
        return found
    }

    /// Attention head count of each down block (diffusers reads attention_head_dim as the head count
    /// when num_attention_heads is absent, a naming quirk kept for checkpoint compatibility).
    public var headsPerBlock: [Int] {
        (numAttentionHeads ?? attentionHeadDim).values(count: blockOutChannels.count)
    }

    public var transformerLayers: [Int] {
        (transformerLayersPerBlock ?? .int(1)).values(count: blockOutChannels.count)
    }

    public var timeEmbeddingDim: Int { blockOutChannels[0] * 4 }

    /// Every reason this config cannot be built, in one list.
    public func problems() -> [String] {
        var problems: [String] = []
        let blocks = blockOutChannels.count
        if blocks == 0 { problems.append("block_out_channels is empty") }
        if downBlockTypes.count != blocks || upBlockTypes.count != blocks {
            problems.append("down_block_types (\(downBlockTypes.count)) and up_block_types (\(upBlockTypes.count)) must match block_out_channels (\(blocks))")
        }
        for t in downBlockTypes where !["DownBlock2D", "CrossAttnDownBlock2D"].contains(t) {
            problems.append("down block type \(t) is not supported")
        }
        for t in upBlockTypes where !["UpBlock2D", "CrossAttnUpBlock2D"].contains(t) {
            problems.append("up block type \(t) is not supported")
        }
        if let mid = midBlockType, mid != "UNetMidBlock2DCrossAttn" { problems.append("mid_block_type \(mid) is not supported") }
        if midBlockType == nil { problems.append("a UNet without a mid block cannot carry pose guidance") }
        if !(1...64).contains(layersPerBlock) { problems.append("layers_per_block \(layersPerBlock) is out of range") }
        for c in blockOutChannels where c <= 0 || normNumGroups <= 0 || c % normNumGroups != 0 {
            problems.append("block_out_channels \(c) is not a positive multiple of norm_num_groups \(normNumGroups)")
        }
        problems += ModelConfigLimits.problems(
            widths: ModelConfigLimits.blockWidths(blockOutChannels)
                + [("cross_attention_dim", crossAttentionDim), ("in_channels", inChannels), ("out_channels", outChannels)],
            sides: [("sample_size", sampleSize)])
        for (c, h) in zip(blockOutChannels, headsPerBlock) where h <= 0 || c % h != 0 {
            problems.append("\(c) channels do not split into \(h) attention heads")
        }
        if crossAttentionDim <= 0 { problems.append("cross_attention_dim must be positive") }
        if !(normEps.isFinite && normEps >= 0) { problems.append("norm_eps \(normEps) must be a number of at least 0") }
        if inChannels <= 0 || outChannels <= 0 { problems.append("in_channels and out_channels must be positive") }
        if actFn != "silu" { problems.append("act_fn \(actFn) is not supported (only silu)") }
        if timeEmbeddingType != "positional" { problems.append("time_embedding_type \(timeEmbeddingType) is not supported") }
        if resnetTimeScaleShift != "default" { problems.append("resnet_time_scale_shift \(resnetTimeScaleShift) is not supported") }
        if let t = classEmbedType { problems.append("class_embed_type \(t) is not supported") }
        if let t = additionEmbedType { problems.append("addition_embed_type \(t) is not supported") }
        if onlyCrossAttention { problems.append("only_cross_attention is not supported") }
        if dualCrossAttention { problems.append("dual_cross_attention is not supported") }
        for (key, value) in unsupportedOptions.sorted(by: { $0.key < $1.key }) {
            problems.append("\(key) = \(value) is not supported")
        }
        for (name, option) in [("attention_head_dim", Optional(attentionHeadDim)), ("num_attention_heads", numAttentionHeads),
                               ("transformer_layers_per_block", transformerLayersPerBlock)] {
            if case .list(let values)? = option, values.count != blocks {
                problems.append("\(name) has \(values.count) entries for \(blocks) blocks")
            }
        }
        if transformerLayers.contains(where: { !(1...16).contains($0) }) {
            problems.append("transformer_layers_per_block must be between 1 and 16")
        }
        return problems
    }
}

/// A config value that diffusers allows as one number or one per block.
public enum IntOrList: Codable, Sendable, Equatable {
    case int(Int)
    case list([Int])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Int.self) {
            self = .int(v)
        } else {
            self = .list(try c.decode([Int].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let v): try c.encode(v)
        case .list(let v): try c.encode(v)
        }
    }

    func values(count: Int) -> [Int] {
        switch self {
        case .int(let v): return Array(repeating: v, count: count)
        case .list(let v): return v.count == count ? v : Array(repeating: v.first ?? 1, count: count)
        }
    }
}
