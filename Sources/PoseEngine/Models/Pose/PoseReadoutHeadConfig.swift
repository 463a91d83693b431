/// config.json of the Mid-U readout head.
public struct PoseReadoutHeadConfig: Codable, Sendable, Equatable {
    /// Channels and side of the UNet mid-block feature map it reads.
    public var inChannels: Int
    public var featureSize: Int
    public var bottleneckChannels: Int
    public var hiddenDim: Int
    public var timestepDim: Int
    public var normNumGroups: Int
    public var outputs: Int
    /// Per-quantity factors (pitch, yaw, x, y, scale) on the guidance loss; absent: all 1.
    /// A trained head reads some quantities with less confidence than others (its predictions
    /// shrink toward the mean where the noisy latent says little), so its gradient pulls them
    /// with less force; the factors even the pull out. They belong to the head's weights: they
    /// are set by hand in config.json after measuring the head with `posestudio bench fidelity
    /// --model DIR`, and `train pose_head` drops them, as retrained weights shrink differently.
    public var guidanceGains: [Float]?

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels", featureSize = "feature_size", bottleneckChannels = "bottleneck_channels"
        case hiddenDim = "hidden_dim", timestepDim = "timestep_dim", normNumGroups = "norm_num_groups", outputs
        case guidanceGains = "guidance_gains"
    }

    /// The factor on each quantity's guidance loss, in `PoseValues` order.
    public var gains: [Float] { guidanceGains ?? [Float](repeating: 1, count: PoseValues.count) }

    public init(inChannels: Int, featureSize: Int, bottleneckChannels: Int = 64, hiddenDim: Int = 128,
                timestepDim: Int = 64, normNumGroups: Int = 8) {
        self.inChannels = inChannels
        self.featureSize = featureSize
        self.bottleneckChannels = bottleneckChannels
        self.hiddenDim = hiddenDim
        self.timestepDim = timestepDim
        self.normNumGroups = normNumGroups
        outputs = PoseValues.count
    }

    /// A head that reads `unet`'s mid block: its channels, and its side (the sample size halved
    /// by every down block but the last).
    public init(readingMidBlockOf unet: UNet2DConditionConfig) {
        self.init(inChannels: unet.blockOutChannels.last ?? 0, featureSize: Self.midBlockSide(of: unet))
    }

    /// The side of `unet`'s mid-block feature map.
    public static func midBlockSide(of unet: UNet2DConditionConfig) -> Int {
        unet.sampleSize >> max(unet.blockOutChannels.count - 1, 0)
    }

    public func problems() -> [String] {
        var problems: [String] = []
        for c in [inChannels, bottleneckChannels] where c <= 0 || normNumGroups <= 0 || c % normNumGroups != 0 {
            problems.append("\(c) channels are not a positive multiple of norm_num_groups \(normNumGroups)")
        }
        if featureSize <= 0 || hiddenDim <= 0 || timestepDim <= 0 || timestepDim % 2 != 0 {
            problems.append("feature_size, hidden_dim and an even timestep_dim must be positive")
        }
        if outputs != PoseValues.count { problems.append("outputs must be \(PoseValues.count) (pitch, yaw, x, y, scale)") }
        if let guidanceGains, guidanceGains.count != PoseValues.count || !guidanceGains.allSatisfy({ $0.isFinite && $0 >= 0 }) {
            problems.append("guidance_gains must be \(PoseValues.count) finite, non-negative numbers (pitch, yaw, x, y, scale)")
        }
        return problems
    }
}
