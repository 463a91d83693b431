import CSixel

/// Turns the pixel layouts libsixel's loaders produce into packed RGB bytes.
enum RGBConversion {
    /// RGB bytes for `width` x `height` pixels of `format`, or nil for a layout it cannot convert.
    static func toRGB(_ source: UnsafePointer<UInt8>, width: Int, height: Int, format: Int32,
                      palette: UnsafePointer<UInt8>?, colorCount: Int) -> [UInt8]? {
        let count = width * height
        switch format {
        case SIXEL_PIXELFORMAT_RGB888:
            return Array(UnsafeBufferPointer(start: source, count: count * 3))
        case SIXEL_PIXELFORMAT_BGR888:
            return reorder(source, count: count, stride: 3, red: 2, green: 1, blue: 0, alpha: nil)
        case SIXEL_PIXELFORMAT_RGBA8888:
            return reorder(source, count: count, stride: 4, red: 0, green: 1, blue: 2, alpha: 3)
        case SIXEL_PIXELFORMAT_ARGB8888:
            return reorder(source, count: count, stride: 4, red: 1, green: 2, blue: 3, alpha: 0)
        case SIXEL_PIXELFORMAT_BGRA8888:
            return reorder(source, count: count, stride: 4, red: 2, green: 1, blue: 0, alpha: 3)
        case SIXEL_PIXELFORMAT_ABGR8888:
            return reorder(source, count: count, stride: 4, red: 3, green: 2, blue: 1, alpha: 0)
        case SIXEL_PIXELFORMAT_G8:
            return reorder(source, count: count, stride: 1, red: 0, green: 0, blue: 0, alpha: nil)
        case SIXEL_PIXELFORMAT_PAL8:
            guard let palette else { return nil }
            return expandPalette(source, count: count, palette: palette, colorCount: colorCount)
        default:
            return normalizedByLibsixel(source, width: width, height: height, format: format)
        }
    }

    /// Picks channels out of interleaved pixels; transparent pixels are composited over white.
    private static func reorder(_ source: UnsafePointer<UInt8>, count: Int, stride: Int,
                                red: Int, green: Int, blue: Int, alpha: Int?) -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: count * 3)
        for i in 0..<count {
            let pixel = source + i * stride
            let coverage = alpha.map { Int(pixel[$0]) } ?? 255
            rgb[i * 3] = overWhite(pixel[red], coverage: coverage)
            rgb[i * 3 + 1] = overWhite(pixel[green], coverage: coverage)
            rgb[i * 3 + 2] = overWhite(pixel[blue], coverage: coverage)
        }
        return rgb
    }

    private static func overWhite(_ value: UInt8, coverage: Int) -> UInt8 {
        UInt8((Int(value) * coverage + 255 * (255 - coverage) + 127) / 255)
    }

    private static func expandPalette(_ source: UnsafePointer<UInt8>, count: Int,
                                      palette: UnsafePointer<UInt8>, colorCount: Int) -> [UInt8]? {
        var rgb = [UInt8](repeating: 0, count: count * 3)
        for i in 0..<count {
            let index = Int(source[i])
            guard index < colorCount else { return nil }
            rgb[i * 3] = palette[index * 3]
            rgb[i * 3 + 1] = palette[index * 3 + 1]
            rgb[i * 3 + 2] = palette[index * 3 + 2]
        }
        return rgb
    }

    /// Rare layouts (1-4 bit grey, 15/16-bit colour) go through libsixel's own converter.
    private static func normalizedByLibsixel(_ source: UnsafePointer<UInt8>, width: Int, height: Int,
                                             format: Int32) -> [UInt8]? {
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        var converted: Int32 = 0
        let status = rgb.withUnsafeMutableBufferPointer { buffer in
            sixel_helper_normalize_pixelformat(buffer.baseAddress, &converted, source, format,
                                               Int32(width), Int32(height))
        }
        guard !sixelFailed(status), converted == SIXEL_PIXELFORMAT_RGB888 else { return nil }
        return rgb
    }
}
