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

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels", featureSize = "feature_size", bottleneckChannels = "bottleneck_channels"
        case hiddenDim = "hidden_dim", timestepDim = "timestep_dim", normNumGroups = "norm_num_groups", outputs
    }

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

    public func problems() -> [String] {
        var problems: [String] = []
        for c in [inChannels, bottleneckChannels] where c <= 0 || normNumGroups <= 0 || c % normNumGroups != 0 {
            problems.append("\(c) channels are not a positive multiple of norm_num_groups \(normNumGroups)")
        }
        if featureSize <= 0 || hiddenDim <= 0 || timestepDim <= 0 || timestepDim % 2 != 0 {
            problems.append("feature_size, hidden_dim and an even timestep_dim must be positive")
        }
        if outputs != PoseValues.count { problems.append("outputs must be \(PoseValues.count) (pitch, yaw, x, y, scale)") }
        return problems
    }
}
