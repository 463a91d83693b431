import PoseEngine

/// Resampling of RGB8 pictures to the size the image pane shows them at.
public enum ImageScaling {
    /// `image` resized to `width` x `height` with bilinear filtering (pixel centres aligned).
    public static func bilinear(_ image: SynthImage, width: Int, height: Int) -> SynthImage {
        guard width > 0, height > 0, image.width > 0, image.height > 0 else {
            return SynthImage(width: max(width, 0), height: max(height, 0), pixels: [UInt8](repeating: 0, count: max(width, 0) * max(height, 0) * 3))
        }
        if width == image.width && height == image.height { return image }
        let source = image.pixels
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let sx = Float(image.width) / Float(width), sy = Float(image.height) / Float(height)
        for y in 0..<height {
            let fy = min(max((Float(y) + 0.5) * sy - 0.5, 0), Float(image.height - 1))
            let y0 = Int(fy), y1 = min(y0 + 1, image.height - 1), wy = fy - Float(y0)
            for x in 0..<width {
                let fx = min(max((Float(x) + 0.5) * sx - 0.5, 0), Float(image.width - 1))
                let x0 = Int(fx), x1 = min(x0 + 1, image.width - 1), wx = fx - Float(x0)
                let (a, b) = ((y0 * image.width + x0) * 3, (y0 * image.width + x1) * 3)
                let (c, d) = ((y1 * image.width + x0) * 3, (y1 * image.width + x1) * 3)
                for channel in 0..<3 {
                    let top = Float(source[a + channel]) * (1 - wx) + Float(source[b + channel]) * wx
                    let bottom = Float(source[c + channel]) * (1 - wx) + Float(source[d + channel]) * wx
                    out[(y * width + x) * 3 + channel] = UInt8(min(max((top * (1 - wy) + bottom * wy).rounded(), 0), 255))
                }
            }
        }
        return SynthImage(width: width, height: height, pixels: out)
    }
}
