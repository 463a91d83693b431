/// Turns image tensors ([N, 3, H, W] in [-1, 1]) into RGB8 pictures.
public enum ImageTensor {
    /// Row-major RGB8 pixels of image `index`.
    public static func rgb8(_ images: Tensor, index: Int) -> [UInt8] {
        let (h, w) = (images.shape[2], images.shape[3])
        let plane = h * w
        var pixels = [UInt8](repeating: 0, count: plane * 3)
        let base = index * 3 * plane
        for p in 0..<plane {
            for c in 0..<3 {
                let v = (images.scalars[base + c * plane + p] + 1) * 127.5
                pixels[p * 3 + c] = UInt8(max(0, min(255, v.rounded())))
            }
        }
        return pixels
    }

    /// Rows of equally sized image batches laid out edge to edge.
    public static func sheet(rows: [Tensor]) -> (pixels: [UInt8], width: Int, height: Int) {
        guard let first = rows.first else { return ([], 0, 0) }
        let (n, h, w) = (first.shape[0], first.shape[2], first.shape[3])
        let width = n * w, height = rows.count * h
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for (r, images) in rows.enumerated() {
            for i in 0..<n {
                let image = rgb8(images, index: i)
                for y in 0..<h {
                    let dst = ((r * h + y) * width + i * w) * 3
                    pixels.replaceSubrange(dst..<(dst + w * 3), with: image[(y * w * 3)..<((y + 1) * w * 3)])
                }
            }
        }
        return (pixels, width, height)
    }
}
