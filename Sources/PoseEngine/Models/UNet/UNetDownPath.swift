/// The feature maps the UNet's down path makes: the mid block's output and every skip the
/// up path reads (conv_in's output, then each down block's layers and its downsampler, in
/// that order). Pose guidance differentiates through these alone, never the up path.
public struct UNetDownPath: Sendable {
    public var midBlock: Tensor
    public var skips: [Tensor]

    public init(midBlock: Tensor, skips: [Tensor]) {
        self.midBlock = midBlock
        self.skips = skips
    }

    /// Batch row `index` of every feature map, as a batch of one.
    public func row(_ index: Int) -> UNetDownPath {
        UNetDownPath(midBlock: midBlock.batchRow(index), skips: skips.map { $0.batchRow(index) })
    }
}

/// dL/d(feature map) for the maps of a `UNetDownPath` a loss read; skips it did not read are absent.
public struct UNetDownPathGradient: Sendable {
    public var midBlock: Tensor
    public var skips: [Int: Tensor]

    public init(midBlock: Tensor, skips: [Int: Tensor] = [:]) {
        self.midBlock = midBlock
        self.skips = skips
    }
}

extension UNet2DConditionConfig {
    /// Channels and side of one feature map of the down path.
    public struct FeatureMapShape: Codable, Sendable, Equatable {
        public var channels: Int
        public var side: Int

        public init(channels: Int, side: Int) {
            self.channels = channels
            self.side = side
        }
    }

    /// The shapes of the down path's skips, in `UNetDownPath.skips` order.
    public var skipShapes: [FeatureMapShape] {
        guard let first = blockOutChannels.first else { return [] }
        var shapes = [FeatureMapShape(channels: first, side: sampleSize)]
        var side = sampleSize
        for (index, channels) in blockOutChannels.enumerated() {
            shapes += Array(repeating: FeatureMapShape(channels: channels, side: side), count: layersPerBlock)
            if index < blockOutChannels.count - 1 {
                side = (side + 1) / 2
                shapes.append(FeatureMapShape(channels: channels, side: side))
            }
        }
        return shapes
    }

    /// The skip that ends each down block's layers (its output, before any downsampling), for
    /// every block finer than the mid block: what a new pose head reads besides the mid block.
    public var blockOutputSkips: [Int] {
        var indices: [Int] = []
        var index = 0  // conv_in's output
        for _ in blockOutChannels.dropLast() {
            index += layersPerBlock
            indices.append(index)
            index += 1  // the block's downsampler
        }
        return indices
    }
}
