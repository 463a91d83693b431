import PoseEngine

/// Resampling of RGB8 pictures to the size the image pane shows them at.
public enum ImageScaling {
    /// `image` resized to `width` x `height` with bilinear filtering (pixel centres aligned).
    public static func bilinear(_ image: SynthImage, width: Int, height: Int) -> SynthImage {
        guard width > 0, height > 0, image.width > 0, image.height > 0 else {
            return SynthImage(width: max(width, 0), height: max(height, 0), pixels: [UInt8](repeating: 0, count: max(width, 0) * max(height, 0) * 3))
        }
        if width == image.width && height == image.height { return image }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        image.bilinearSamples(width: width, height: height) { index, channel, value in
            out[index * 3 + channel] = UInt8(min(max(value.rounded(), 0), 255))
        }
        return SynthImage(width: width, height: height, pixels: out)
    }
}
