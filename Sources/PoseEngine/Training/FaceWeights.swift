import Foundation

/// Per-pixel weights for a reconstruction loss that cares most about the face.
///
/// Eyes, mouth and glasses cover a few percent of a 64x64 render, while grass, cloth and
/// paint texture cover most of it, so a plain L1 loss spends the VAE's capacity on the
/// background and blurs the face away. Every pixel weighs 1, plus `extra` times a
/// Gaussian bump centred on the head, whose width follows the head's size; the pose
/// labels place it (x, y: the head's centre as a fraction of the image from its centre;
/// scale: head height / image height).
public struct FaceWeights: Sendable {
    /// Weight added at the centre of the face, over the 1 every pixel has.
    public var extra: Float
    /// The bump's standard deviation as a fraction of the head's height.
    public var spread: Float

    public init(extra: Float = 5, spread: Float = 0.3) {
        self.extra = extra
        self.spread = spread
    }

    /// Weights [N, 1, size, size] (one plane per sample, shared by all its channels) for poses
    /// [N, 6] laid out as in `SynthBatch` (pitch, yaw, roll, x, y, scale).
    public func map(poses: Tensor, size: Int) -> Tensor {
        let count = poses.shape[0]
        var weights = Tensor(zeros: [count, 1, size, size])
        let side = Float(size)
        for n in 0..<count {
            let x = poses.scalars[n * 6 + 3], y = poses.scalars[n * 6 + 4], scale = poses.scalars[n * 6 + 5]
            let centre = ((0.5 + x) * side, (0.5 + y) * side)
            let sigma = max(spread * scale * side, 0.5)
            let inverseTwoVariance = 1 / (2 * sigma * sigma)
            for row in 0..<size {
                let dy = Float(row) + 0.5 - centre.1
                for column in 0..<size {
                    let dx = Float(column) + 0.5 - centre.0
                    weights.scalars[(n * size + row) * size + column] = 1 + extra * expf(-(dx * dx + dy * dy) * inverseTwoVariance)
                }
            }
        }
        return weights
    }

    /// The weight of element `index` of a tensor [N, channels, size, size] whose samples
    /// `weights` (from `map`) describes.
    @inline(__always)
    public static func weight(_ weights: Tensor, atFlat index: Int, channels: Int) -> Float {
        let plane = weights.shape[2] * weights.shape[3]
        return weights.scalars[(index / (channels * plane)) * plane + index % plane]
    }
}
