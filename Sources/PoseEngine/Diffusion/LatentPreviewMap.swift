import Foundation

/// A cheap picture of a latent between steps: RGB = W * latent + b per latent
/// pixel (W 3 x C, fitted by least squares against VAE decodes averaged down
/// to latent resolution), shown enlarged to the decoder's size.
public struct LatentPreviewMap: Codable, Sendable, Equatable {
    /// weights[rgb][channel], for SCALED latents (what the UNet sees); output in [-1, 1].
    public var weights: [[Float]]
    public var bias: [Float]
    /// Pixels per latent pixel in the decoded image.
    public var upscale: Int

    public static let fileName = "preview.json"

    public init(weights: [[Float]], bias: [Float], upscale: Int) {
        (self.weights, self.bias, self.upscale) = (weights, bias, upscale)
    }

    /// Least squares from latents [N, C, h, w] to images [N, 3, h*f, w*f] box-averaged to h x w.
    public static func fit(latents: Tensor, images: Tensor) -> LatentPreviewMap {
        let (n, c, h, w) = (latents.shape[0], latents.shape[1], latents.shape[2], latents.shape[3])
        let f = images.shape[2] / h
        let k = c + 1
        var normal = [Double](repeating: 0, count: k * k)
        var right = [[Double]](repeating: [Double](repeating: 0, count: k), count: 3)
        for sample in 0..<n {
            for y in 0..<h {
                for x in 0..<w {
                    var features = (0..<c).map { Double(latents.scalars[((sample * c + $0) * h + y) * w + x]) }
                    features.append(1)
                    let target = (0..<3).map { averageBlock(images, sample: sample, channel: $0, y: y, x: x, factor: f) }
                    for i in 0..<k {
                        for j in 0..<k { normal[i * k + j] += features[i] * features[j] }
                        for r in 0..<3 { right[r][i] += features[i] * target[r] }
                    }
                }
            }
        }
        // A touch of ridge keeps the solve defined for constant channels.
        for i in 0..<c { normal[i * k + i] += 1e-6 * Double(n * h * w) }
        let solutions = right.map { solve(normal, $0, size: k) }
        return LatentPreviewMap(weights: solutions.map { s in (0..<c).map { Float(s[$0]) } },
                                bias: solutions.map { Float($0[c]) }, upscale: f)
    }

    /// Scaled latent [1, C, h, w] -> RGB picture (h*upscale) x (w*upscale).
    public func image(_ latent: Tensor) -> SynthImage {
        let (c, h, w) = (latent.shape[1], latent.shape[2], latent.shape[3])
        let f = max(upscale, 1)
        let (width, height) = (w * f, h * f)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<h {
            for x in 0..<w {
                var rgb = [UInt8](repeating: 0, count: 3)
                for r in 0..<3 {
                    var v = bias[r]
                    for ch in 0..<min(c, weights[r].count) { v += weights[r][ch] * latent.scalars[(ch * h + y) * w + x] }
                    rgb[r] = UInt8(max(0, min(255, ((v + 1) * 127.5).rounded())))
                }
                for dy in 0..<f {
                    for dx in 0..<f {
                        let i = ((y * f + dy) * width + x * f + dx) * 3
                        (pixels[i], pixels[i + 1], pixels[i + 2]) = (rgb[0], rgb[1], rgb[2])
                    }
                }
            }
        }
        return SynthImage(width: width, height: height, pixels: pixels)
    }

    public static func load(from url: URL) throws -> LatentPreviewMap {
        try ConfigFile.decode(LatentPreviewMap.self, from: url)
    }

    public func save(to url: URL) throws {
        try PrettyJSONFile.write(self, to: url, followingLinks: false)
    }

    private static func averageBlock(_ images: Tensor, sample: Int, channel: Int, y: Int, x: Int, factor f: Int) -> Double {
        let (height, width) = (images.shape[2], images.shape[3])
        var sum = 0.0
        for dy in 0..<f {
            for dx in 0..<f { sum += Double(images.scalars[((sample * 3 + channel) * height + y * f + dy) * width + x * f + dx]) }
        }
        return sum / Double(f * f)
    }

    /// Gaussian elimination with partial pivoting on a small dense system.
    private static func solve(_ matrix: [Double], _ vector: [Double], size k: Int) -> [Double] {
        var a = matrix, b = vector
        for column in 0..<k {
            let pivot = (column..<k).max { abs(a[$0 * k + column]) < abs(a[$1 * k + column]) } ?? column
            if pivot != column {
                for j in 0..<k { a.swapAt(column * k + j, pivot * k + j) }
                b.swapAt(column, pivot)
            }
            let p = a[column * k + column]
            guard abs(p) > 1e-12 else { continue }
            for row in (column + 1)..<k {
                let factor = a[row * k + column] / p
                for j in column..<k { a[row * k + j] -= factor * a[column * k + j] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: k)
        for row in (0..<k).reversed() {
            var s = b[row]
            for j in (row + 1)..<k { s -= a[row * k + j] * x[j] }
            let p = a[row * k + row]
            x[row] = abs(p) > 1e-12 ? s / p : 0
        }
        return x
    }
}
