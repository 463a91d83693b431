/// Turns an RGB picture of any size into the face encoder's input: a
/// [1, 3, S, S] tensor in [-1, 1], resampled bilinearly at pixel centres
/// (box-averaged first when shrinking by more than 2x, so detail does not alias).
public enum FaceImageInput {
    public static func tensor(_ image: SynthImage, size: Int) -> Tensor {
        var source = image
        while source.width >= 2 * size * 2 && source.height >= 2 * size * 2 { source = halved(source) }
        var out = Tensor(zeros: [1, 3, size, size])
        let plane = size * size
        source.bilinearSamples(width: size, height: size) { index, c, value in
            out.scalars[c * plane + index] = value / 127.5 - 1
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
