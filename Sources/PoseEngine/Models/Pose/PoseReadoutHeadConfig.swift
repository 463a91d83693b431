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
    /// Skips of the UNet's down path the head reads besides the mid block (absent: none).
    /// Finer maps keep detail the mid block has pooled away.
    public var readSkips: [SkipRead]?
    /// 3x3 convolutions (each followed by GroupNorm and SiLU) a skip passes through at its own
    /// side before the patch-wise projection to the mid block's side (absent: none). Without
    /// them a skip reaches the head only through that projection, linear in each patch; with
    /// them the head can first find the small local features (eyes, nose, hair parting) that
    /// tell how a head is turned (two gave a held-out yaw error at t = 50 of 24.0 deg, against 26.8).
    public var skipReaderLayers: Int?
    /// Per-quantity factors (pitch, yaw, x, y, scale) on the guidance loss; absent: all 1.
    /// A trained head reads some quantities with less confidence than others (its predictions
    /// shrink toward the mean where the noisy latent says little), so its gradient pulls them
    /// with less force; the factors even the pull out. They belong to the head's weights: they
    /// are set by hand in config.json after measuring the head with `posestudio bench fidelity
    /// --model DIR`, and `train pose_head` drops them, as retrained weights shrink differently.
    public var guidanceGains: [Float]?
    /// Per quantity (pitch, yaw, x, y, scale), the [slope, intercept] of where finished pictures
    /// land when guidance aims at a target: judged = slope * target + intercept; absent: where
    /// aimed. Guidance aims at (asked - intercept) / slope instead, so the picture lands on the
    /// asked value. Heads go on growing after the guided steps, so without it every head comes
    /// out larger than asked. Like the gains, it belongs to the model's weights: it is set by
    /// hand from `posestudio bench fidelity --images-dir DIR` (DIR/targets.json holds each
    /// target and its judged reading), and `train pose_head` drops it.
    public var guidanceCalibration: [[Float]]?
    /// Trained on timesteps below this one only (absent: all): a head for readings ahead
    /// (`pose_head_lookahead/`), which guidance uses for lookaheads to timesteps below this one.
    public var maxTimestep: Int?

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels", featureSize = "feature_size", bottleneckChannels = "bottleneck_channels"
        case hiddenDim = "hidden_dim", timestepDim = "timestep_dim", normNumGroups = "norm_num_groups", outputs
        case guidanceGains = "guidance_gains", readSkips = "read_skips", skipReaderLayers = "skip_reader_layers"
        case maxTimestep = "max_timestep", guidanceCalibration = "guidance_calibration"
    }

    /// One skip the head reads: its index in `UNetDownPath.skips` and the shape it must have.
    /// A strided convolution brings it to the mid block's side.
    public struct SkipRead: Codable, Sendable, Equatable {
        public var index: Int
        public var channels: Int
        public var side: Int

        public init(index: Int, channels: Int, side: Int) {
            self.index = index
            self.channels = channels
            self.side = side
        }
    }

    /// The skips read, in the order the head's readers are built.
    public var skipReads: [SkipRead] { readSkips ?? [] }

    /// The convolutions each skip passes through at its own side.
    public var readerLayers: Int { skipReaderLayers ?? 0 }

    /// The target guidance aims at for `asked`, by `guidanceCalibration`. A calibrated aim stays
    /// within the span the head's normalisation covers (the world's poses): beyond it the head
    /// reads nothing it knows (a head asked for 0.27 of the picture, aimed at 0.14, came out
    /// turned the wrong way). A value asked outside that span is aimed at as asked.
    public func aim(_ asked: PoseValues) -> PoseValues {
        guard let guidanceCalibration, guidanceCalibration.count == PoseValues.count else { return asked }
        return PoseValues(array: asked.array.indices.map { q in
            let (value, line) = (asked.array[q], guidanceCalibration[q])
            let span = (PoseValues.centre[q] - PoseValues.halfRange[q])...(PoseValues.centre[q] + PoseValues.halfRange[q])
            guard line.count == 2, line != [1, 0], span.contains(value) else { return value }
            return min(max((value - line[1]) / line[0], span.lowerBound), span.upperBound)
        })
    }

    /// Slopes outside this range would aim guidance far outside the poses the head was trained on.
    public static let calibrationSlopes: ClosedRange<Float> = 0.25...4

    /// The factor on each quantity's guidance loss, in `PoseValues` order.
    public var gains: [Float] { guidanceGains ?? [Float](repeating: 1, count: PoseValues.count) }

    public init(inChannels: Int, featureSize: Int, bottleneckChannels: Int = 64, hiddenDim: Int = 128,
                timestepDim: Int = 64, normNumGroups: Int = 8, readSkips: [SkipRead]? = nil) {
        self.inChannels = inChannels
        self.featureSize = featureSize
        self.bottleneckChannels = bottleneckChannels
        self.hiddenDim = hiddenDim
        self.timestepDim = timestepDim
        self.normNumGroups = normNumGroups
        self.readSkips = readSkips
        outputs = PoseValues.count
    }

    /// A head that reads `unet`'s mid block (its channels, and its side: the sample size halved
    /// by every down block but the last) and the down path's skips at `skips`, each through
    /// `readerLayers` convolutions at its own side.
    public init(readingMidBlockOf unet: UNet2DConditionConfig, skips: [Int] = [], readerLayers: Int = 0) {
        self.init(inChannels: unet.blockOutChannels.last ?? 0, featureSize: Self.midBlockSide(of: unet))
        if readerLayers != 0 { skipReaderLayers = readerLayers }
        let shapes = unet.skipShapes
        if !skips.isEmpty {
            readSkips = skips.map { index in
                let shape = shapes.indices.contains(index) ? shapes[index] : .init(channels: 0, side: 0)
                return SkipRead(index: index, channels: shape.channels, side: shape.side)
            }
        }
    }

    /// The side of `unet`'s mid-block feature map: that of the down path's last skip, the map
    /// the mid block reads, so that the mid block and the skips a head reads agree on sizes.
    public static func midBlockSide(of unet: UNet2DConditionConfig) -> Int {
        unet.skipShapes.last?.side ?? 0
    }

    /// More would cost guidance time at the skips' full sides for little the head can use.
    public static let maximumReaderLayers = 4

    public func problems() -> [String] {
        var problems: [String] = []
        for c in [inChannels, bottleneckChannels] where c <= 0 || normNumGroups <= 0 || c % normNumGroups != 0 {
            problems.append("\(c) channels are not a positive multiple of norm_num_groups \(normNumGroups)")
        }
        if featureSize <= 0 || hiddenDim <= 0 || timestepDim <= 0 || timestepDim % 2 != 0 {
            problems.append("feature_size, hidden_dim and an even timestep_dim must be positive")
        }
        for read in skipReads {
            if read.index < 0 || read.channels <= 0 || read.side < featureSize || featureSize <= 0 || read.side % featureSize != 0 {
                problems.append("read_skips entry \(read.index) (\(read.channels) channels, side \(read.side)) must be a skip with "
                                + "channels whose side is a multiple of feature_size \(featureSize)")
            }
        }
        if !(0...Self.maximumReaderLayers).contains(readerLayers) {
            problems.append("skip_reader_layers must be 0 to \(Self.maximumReaderLayers), not \(readerLayers)")
        } else if readerLayers > 0, let odd = skipReads.first(where: { normNumGroups <= 0 || $0.channels % normNumGroups != 0 }) {
            problems.append("skip_reader_layers needs each skip's channels to be a multiple of norm_num_groups \(normNumGroups); "
                            + "skip \(odd.index) has \(odd.channels)")
        }
        if Set(skipReads.map(\.index)).count != skipReads.count { problems.append("read_skips names a skip twice") }
        if outputs != PoseValues.count { problems.append("outputs must be \(PoseValues.count) (pitch, yaw, x, y, scale)") }
        if let guidanceGains, guidanceGains.count != PoseValues.count || !guidanceGains.allSatisfy({ $0.isFinite && $0 >= 0 }) {
            problems.append("guidance_gains must be \(PoseValues.count) finite, non-negative numbers (pitch, yaw, x, y, scale)")
        }
        if let guidanceCalibration, guidanceCalibration.count != PoseValues.count
            || !guidanceCalibration.allSatisfy({ $0.count == 2 && $0[1].isFinite && Self.calibrationSlopes.contains($0[0]) }) {
            problems.append("guidance_calibration must be \(PoseValues.count) pairs [slope, intercept] (pitch, yaw, x, y, scale), "
                            + "each slope \(Self.calibrationSlopes.lowerBound) to \(Self.calibrationSlopes.upperBound)")
        }
        if let maxTimestep, maxTimestep <= 0 { problems.append("max_timestep must be positive, not \(maxTimestep)") }
        problems += ModelConfigLimits.problems(
            widths: [("in_channels", inChannels), ("bottleneck_channels", bottleneckChannels), ("hidden_dim", hiddenDim),
                     ("timestep_dim", timestepDim)] + skipReads.map { ("read_skips channels", $0.channels) },
            sides: [("feature_size", featureSize)] + skipReads.map { ("read_skips side", $0.side) })
        return problems
    }
}
