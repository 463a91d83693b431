import CSixel

/// Encodes RGB pictures as sixel escape sequences with libsixel's low-level
/// API: an adaptive palette per picture (sixel_dither_initialize) or the fixed
/// xterm 256-colour one, encoded into memory through a write callback.
public enum SixelEncoder {
    public enum Palette: Sendable {
        /// Colours chosen for this picture: the best final image.
        case adaptive
        /// libsixel's built-in xterm-256 palette: the same colours for every picture, so dither
        /// noise stays put between live frames (and no palette is computed).
        case fixedXterm256
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalidImage(width: Int, height: Int, bytes: Int)
        case libsixel(step: String, status: Int32)

        public var description: String {
            switch self {
            case .invalidImage(let width, let height, let bytes):
                return "cannot encode \(width)x\(height) pixels from \(bytes) bytes as sixel (need width x height x 3)"
            case .libsixel(let step, let status):
                return "libsixel failed in \(step) (status \(status))"
            }
        }
    }

    /// The sixel bytes (DCS ... ST) of `pixels`, row-major RGB8, `width` x `height`.
    public static func encode(pixels: [UInt8], width: Int, height: Int, colors: Int = 256,
                              palette: Palette = .adaptive) throws(Failure) -> [UInt8] {
        guard width > 0, height > 0, pixels.count == width * height * 3 else {
            throw .invalidImage(width: width, height: height, bytes: pixels.count)
        }
        let sink = ByteSink()
        var output: OpaquePointer?
        try check(sixel_output_new(&output, { data, size, context in
            guard let data, let context, size > 0 else { return 0 }
            Unmanaged<ByteSink>.fromOpaque(context).takeUnretainedValue()
                .bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: Int(size)))
            return size
        }, Unmanaged.passUnretained(sink).toOpaque(), nil), "sixel_output_new")
        defer { sixel_output_unref(output) }

        let dither = try makeDither(palette, pixels: pixels, width: width, height: height, colors: colors)
        defer { sixel_dither_unref(dither) }
        var encoded = pixels
        try check(encoded.withUnsafeMutableBufferPointer { buffer in
            sixel_encode(buffer.baseAddress, Int32(width), Int32(height), 3, dither, output)
        }, "sixel_encode")
        withExtendedLifetime(sink) {}
        return sink.bytes
    }

    private static func makeDither(_ palette: Palette, pixels: [UInt8], width: Int, height: Int,
                                   colors: Int) throws(Failure) -> OpaquePointer? {
        if palette == .fixedXterm256 {
            // Its palette is a static table inside libsixel: never initialized or replaced.
            guard let builtin = sixel_dither_get(Int32(SIXEL_BUILTIN_XTERM256)) else {
                throw .libsixel(step: "sixel_dither_get", status: SIXEL_FALSE)
            }
            sixel_dither_set_pixelformat(builtin, SIXEL_PIXELFORMAT_RGB888)
            // A positional (arithmetic) dither: a pixel's pattern depends on where it is, not on
            // its neighbours' errors, so unchanged areas stay unchanged from frame to frame.
            sixel_dither_set_diffusion_type(builtin, SIXEL_DIFFUSE_A_DITHER)
            return builtin
        }
        var dither: OpaquePointer?
        try check(sixel_dither_new(&dither, Int32(max(2, min(colors, 256))), nil), "sixel_dither_new")
        // libsixel may write into the buffers it is given: hand it copies, never our storage.
        var sample = pixels
        let status = sample.withUnsafeMutableBufferPointer { buffer in
            sixel_dither_initialize(dither, buffer.baseAddress, Int32(width), Int32(height), SIXEL_PIXELFORMAT_RGB888,
                                    SIXEL_LARGE_NORM, SIXEL_REP_CENTER_BOX, SIXEL_QUALITY_LOW)
        }
        do {
            try check(status, "sixel_dither_initialize")
        } catch {
            sixel_dither_unref(dither)
            throw error
        }
        // Set after initialize, which resets it. Floyd-Steinberg carries all of each pixel's
        // error on: the studio's pictures are upscaled soft gradients, which Atkinson's dither
        // (it drops a quarter of the error) turned into contour bands in xterm.
        sixel_dither_set_diffusion_type(dither, SIXEL_DIFFUSE_FS)
        return dither
    }

    private static func check(_ status: SIXELSTATUS, _ step: String) throws(Failure) {
        guard status & SIXEL_FALSE == 0 else { throw .libsixel(step: step, status: status) }
    }
}

/// Collects what libsixel's write callback hands over.
private final class ByteSink {
    var bytes: [UInt8] = []
}
