/// An 8-bit RGB image: rows top to bottom, pixels left to right, 3 bytes (R, G, B) per pixel.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    /// An image over existing pixels; the buffer must hold exactly width x height x 3 bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) throws(ImageFileError) {
        guard width > 0, height > 0, pixels.count == width * height * 3 else {
            throw .invalidDimensions(width: width, height: height, pixelCount: pixels.count)
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image filled with one colour.
    public init(width: Int, height: Int, fill: (r: UInt8, g: UInt8, b: UInt8)) throws(ImageFileError) {
        guard width > 0, height > 0 else {
            throw .invalidDimensions(width: width, height: height, pixelCount: 0)
        }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            pixels[i] = fill.r
            pixels[i + 1] = fill.g
            pixels[i + 2] = fill.b
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The (R, G, B) of the pixel in column `x`, row `y`.
    public func pixel(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }
}
