/// L1 distance between the image gradients of a reconstruction and of its target: the
/// differences between each pixel and its right and lower neighbours, channel by channel.
///
/// A per-pixel L1 + L2 loss is content to smear a photo's one-pixel eye into the skin around
/// it: the smear is close in value at every pixel. Its edges are wrong, though, so this term
/// asks the decoder for the eye back. Each difference is weighed like the pixel it starts at
/// (`FaceWeights`), so the face's edges count most.
public struct EdgeLoss: Sendable {
    /// The face-weighted sum of absolute differences of differences (weights [N, 1, H, W] from
    /// `FaceWeights.map`, or nil for 1 everywhere), its gradient with respect to
    /// `reconstruction`, and the unweighted sum, comparable across weightings. Both sums are
    /// divided by the picture's element count, as the reconstruction terms' are; with about two
    /// neighbour pairs per element, that is about twice the mean per pair.
    public static func evaluate(reconstruction: Tensor, target: Tensor, weights: Tensor?)
        -> (value: Float, gradient: Tensor, plain: Float) {
        precondition(reconstruction.shape == target.shape && reconstruction.shape.count == 4, "pictures [N, C, H, W] of one shape")
        let (count, channels, height, width) = (reconstruction.shape[0], reconstruction.shape[1], reconstruction.shape[2], reconstruction.shape[3])
        precondition(weights.map { $0.shape == [count, 1, height, width] } ?? true, "weights [N, 1, H, W], one plane per picture")
        let r = reconstruction.scalars, t = target.scalars
        var gradient = Tensor(zeros: reconstruction.shape)
        let n = Float(reconstruction.count)
        var weighted: Float = 0, plain: Float = 0

        // One neighbour pair: `from` and `to` are flat indices, `w` the weight at `from`.
        func pair(_ from: Int, _ to: Int, _ w: Float) {
            let difference = (r[to] - r[from]) - (t[to] - t[from])
            weighted += w * abs(difference)
            plain += abs(difference)
            let slope = difference > 0 ? w / n : difference < 0 ? -w / n : 0
            gradient.scalars[to] += slope
            gradient.scalars[from] -= slope
        }

        for sample in 0..<count {
            for channel in 0..<channels {
                let plane = (sample * channels + channel) * height * width
                for row in 0..<height {
                    for column in 0..<width {
                        let index = plane + row * width + column
                        let w = weights.map { $0.scalars[(sample * height + row) * width + column] } ?? 1
                        if column + 1 < width { pair(index, index + 1, w) }
                        if row + 1 < height { pair(index, index + width, w) }
                    }
                }
            }
        }
        return (weighted / n, gradient, plain / n)
    }
}
