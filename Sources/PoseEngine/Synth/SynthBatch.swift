/// Samples as engine tensors for training: images [N, 3, S, S] in [-1, 1] and poses [N, 6]
/// (pitch, yaw, roll in degrees; x, y; scale), with prompts and identity indices alongside.
public struct SynthBatch: Sendable {
    public var images: Tensor
    public var poses: Tensor
    public var prompts: [String]
    public var identityIndices: [Int]

    public init(_ samples: [SynthSample]) {
        let size = samples.first?.image.width ?? 0
        var pixels: [Float] = []
        pixels.reserveCapacity(samples.count * 3 * size * size)
        var poseValues: [Float] = []
        for sample in samples {
            precondition(sample.image.width == size && sample.image.height == size, "a batch needs images of one size")
            pixels += sample.image.floats(layout: .channelsFirst, range: -1...1)
            let p = sample.pose
            poseValues += [p.pitch, p.yaw, p.roll, p.x, p.y, p.scale]
        }
        images = Tensor(shape: [samples.count, 3, size, size], scalars: pixels)
        poses = Tensor(shape: [samples.count, 6], scalars: poseValues)
        prompts = samples.map(\.prompt)
        identityIndices = samples.map(\.spec.identityIndex)
    }
}
