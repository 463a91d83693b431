/// A rendered picture: 8-bit RGB, rows top to bottom, 3 bytes per pixel.
public struct SynthImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "an RGB image of \(width)x\(height) needs \(width * height * 3) bytes")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// How float pixel values are laid out for training.
    public enum FloatLayout: Sendable {
        /// [3][height][width], the layout of the engine's image tensors.
        case channelsFirst
        /// [height][width][3], like `pixels`.
        case interleaved
    }

    /// The pixels as floats: 0...255 mapped linearly onto `range`.
    public func floats(layout: FloatLayout = .channelsFirst, range: ClosedRange<Float> = -1...1) -> [Float] {
        let scale = (range.upperBound - range.lowerBound) / 255
        let offset = range.lowerBound
        let plane = width * height
        var result = [Float](repeating: 0, count: plane * 3)
        for i in 0..<plane {
            for channel in 0..<3 {
                let value = Float(pixels[i * 3 + channel]) * scale + offset
                switch layout {
                case .channelsFirst: result[channel * plane + i] = value
                case .interleaved: result[i * 3 + channel] = value
                }
            }
        }
        return result
    }
}
