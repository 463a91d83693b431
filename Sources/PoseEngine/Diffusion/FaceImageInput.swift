/// Turns an RGB picture of any size into the face encoder's input: a
/// [1, 3, S, S] tensor in [-1, 1], resampled bilinearly at pixel centres
/// (box-averaged first when shrinking by more than 2x, so detail does not alias).
public enum FaceImageInput {
    public static func tensor(_ image: SynthImage, size: Int) -> Tensor {
        var source = image
        while source.width >= 2 * size * 2 && source.height >= 2 * size * 2 { source = halved(source) }
        var out = Tensor(zeros: [1, 3, size, size])
        let plane = size * size
        let (sx, sy) = (Float(source.width) / Float(size), Float(source.height) / Float(size))
        for row in 0..<size {
            let y = max((Float(row) + 0.5) * sy - 0.5, 0)
            let (y0, fy) = (min(Int(y), source.height - 1), y - Float(Int(y)))
            let y1 = min(y0 + 1, source.height - 1)
            for column in 0..<size {
                let x = max((Float(column) + 0.5) * sx - 0.5, 0)
                let (x0, fx) = (min(Int(x), source.width - 1), x - Float(Int(x)))
                let x1 = min(x0 + 1, source.width - 1)
                for c in 0..<3 {
                    func p(_ px: Int, _ py: Int) -> Float { Float(source.pixels[(py * source.width + px) * 3 + c]) }
                    let top = p(x0, y0) * (1 - fx) + p(x1, y0) * fx
                    let bottom = p(x0, y1) * (1 - fx) + p(x1, y1) * fx
                    out.scalars[c * plane + row * size + column] = (top * (1 - fy) + bottom * fy) / 127.5 - 1
                }
            }
        }
        return out
    }

    private static func halved(_ image: SynthImage) -> SynthImage {
        let (w, h) = (image.width / 2, image.height / 2)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<3 {
                    var sum = 0
                    for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                        sum += Int(image.pixels[((2 * y + dy) * image.width + 2 * x + dx) * 3 + c])
                    }
                    pixels[(y * w + x) * 3 + c] = UInt8((sum + 2) / 4)
                }
            }
        }
        return SynthImage(width: w, height: h, pixels: pixels)
    }
}
