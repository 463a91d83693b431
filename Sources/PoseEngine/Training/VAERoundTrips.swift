/// Sends a share of a batch of images through a VAE and back (posterior mean, decoded, clamped to
/// the picture range) while their labels stay the renders' exact ones.
///
/// The judge measures generated images, and every one of them is a VAE decoding: softer than
/// the renders it learns from. A judge that sees only sharp renders reads such pictures out of
/// its domain; round trips of labelled renders show it that domain with nothing invented.
public struct VAERoundTrips {
    public let vae: AutoencoderKL
    /// The share of each batch sent through the VAE, in (0, 1]; the first rows go.
    public let share: Float

    public init(vae: AutoencoderKL, share: Float) {
        precondition(share > 0 && share <= 1, "a round-trip share is in (0, 1]")
        self.vae = vae
        self.share = share
    }

    /// How many of `batchSize` rows go through the VAE.
    public func count(of batchSize: Int) -> Int {
        min(batchSize, max(1, Int((share * Float(batchSize)).rounded())))
    }

    /// `images` [N, 3, H, W] in [-1, 1] with the first `count(of: N)` rows replaced by their
    /// reconstructions.
    public func apply(to images: Tensor) -> Tensor {
        let rows = count(of: images.shape[0])
        let plane = images.count / images.shape[0]
        let sent = Tensor(shape: [rows] + images.shape.dropFirst(), scalars: Array(images.scalars[0..<(rows * plane)]))
        let back = vae.reconstruct(sent).clampedToPictureRange()
        precondition(back.shape == sent.shape, "the VAE decodes \(back.shape) from \(sent.shape)")
        var result = images
        result.scalars.replaceSubrange(0..<(rows * plane), with: back.scalars)
        return result
    }
}
