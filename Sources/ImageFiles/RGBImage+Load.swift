import CSixel
import Foundation

extension RGBImage {
    /// Loads a PNG, JPEG, GIF (first frame) or BMP file through libsixel's loaders as RGB.
    /// Transparent pixels are composited over white, grey and paletted images expanded to RGB.
    public static func load(from path: String) throws(ImageFileError) -> RGBImage {
        // libsixel reads standard input for "-" and fetches URLs: only ever hand it the absolute
        // path of an existing regular file.
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .fileNotFound(path: path)
        }
        // The loader rejects a null allocator (unlike the writer): pass the default one.
        var allocator: OpaquePointer?
        let created = sixel_allocator_new(&allocator, nil, nil, nil, nil)
        guard !sixelFailed(created), let allocator else {
            throw .unreadable(path: path, reason: sixelMessage(created))
        }
        defer { sixel_allocator_unref(allocator) }
        let receiver = FrameReceiver()
        let context = Unmanaged.passUnretained(receiver).toOpaque()
        let status = sixel_helper_load_image_file(
            absolute, 1, 0, SIXEL_PALETTE_MAX, nil, SIXEL_LOOP_DISABLE,
            { frame, context in
                guard let frame, let context else { return SIXEL_BAD_ARGUMENT }
                Unmanaged<FrameReceiver>.fromOpaque(context).takeUnretainedValue().receive(frame)
                return SIXEL_OK
            },
            0, nil, context, allocator)
        withExtendedLifetime(receiver) {}
        guard !sixelFailed(status) else {
            throw .unreadable(path: path, reason: sixelMessage(status))
        }
        switch receiver.result {
        case .some(.success(let image)): return image
        case .some(.failure(let unsupported)): throw .unsupportedPixelFormat(path: path, format: unsupported.format)
        case .none: throw .unreadable(path: path, reason: "the file holds no image frame")
        }
    }
}

/// Copies the first frame libsixel hands over: the frame is freed when the callback returns.
private final class FrameReceiver {
    var result: Result<RGBImage, UnsupportedFormat>?

    struct UnsupportedFormat: Error {
        let format: Int32
    }

    func receive(_ frame: OpaquePointer) {
        guard case .none = result else { return }
        let width = Int(sixel_frame_get_width(frame))
        let height = Int(sixel_frame_get_height(frame))
        let format = sixel_frame_get_pixelformat(frame)
        guard width > 0, height > 0, let source = sixel_frame_get_pixels(frame) else {
            result = .failure(UnsupportedFormat(format: format))
            return
        }
        let rgb = RGBConversion.toRGB(source, width: width, height: height, format: format,
                                      palette: sixel_frame_get_palette(frame),
                                      colorCount: Int(sixel_frame_get_ncolors(frame)))
        if let rgb, let image = try? RGBImage(width: width, height: height, pixels: rgb) {
            result = .success(image)
        } else {
            result = .failure(UnsupportedFormat(format: format))
        }
    }
}
