import CSixel
import Foundation
import Synchronization

extension RGBImage {
    /// Loads a PNG, JPEG, GIF (first frame) or BMP file through libsixel's loaders as RGB.
    /// Transparent pixels are composited over white, grey and paletted images expanded to RGB.
    public static func load(from path: String) throws(ImageFileError) -> RGBImage {
        // libsixel reads standard input for "-" and fetches URLs: only ever hand it the absolute
        // path of an existing regular file.
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        // One stat, following links, answers what the path is and how large: a terminal or a pipe
        // would be read until it ends (libsixel crashed reading a terminal), and opening a named
        // pipe waits for a writer, so only regular files go on, checked without opening them.
        var fileStatus = stat()
        guard stat(absolute, &fileStatus) == 0 else { throw .fileNotFound(path: path) }
        switch fileStatus.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .isFolder(path: path)
        default: throw .notARegularFile(path: path)
        }
        guard Int(fileStatus.st_size) <= loadLimitBytes else { throw .tooLarge(path: path, limitBytes: loadLimitBytes) }
        // Every buffer the loader makes (the file's bytes, the decoded pixels) comes from this
        // allocator, which refuses any above the limit: a small compressed file that claims
        // huge dimensions fails here instead of taking the machine's memory.
        var allocator: OpaquePointer?
        let created = sixel_allocator_new(&allocator, limitedMalloc, limitedCalloc, limitedRealloc, free)
        guard !sixelFailed(created), let allocator else {
            throw .unreadable(path: path, reason: sixelMessage(created))
        }
        defer { sixel_allocator_unref(allocator) }
        let receiver = FrameReceiver()
        let context = Unmanaged.passUnretained(receiver).toOpaque()
        let (status, refused) = loaderLock.withLock { _ in
            allocationRefused.store(false, ordering: .relaxed)
            let status = sixel_helper_load_image_file(
            absolute, 1, 0, SIXEL_PALETTE_MAX, nil, SIXEL_LOOP_DISABLE,
            { frame, context in
                guard let frame, let context else { return SIXEL_BAD_ARGUMENT }
                Unmanaged<FrameReceiver>.fromOpaque(context).takeUnretainedValue().receive(frame)
                return SIXEL_OK
            },
            0, nil, context, allocator)
            return (status, allocationRefused.load(ordering: .relaxed))
        }
        withExtendedLifetime(receiver) {}
        // The decoders report a refused buffer in their own words (stb_image as a plain error).
        if refused { throw .tooLarge(path: path, limitBytes: loadLimitBytes) }
        guard !sixelFailed(status) else {
            if let block = GIFExtensionBlock.unread(file: absolute) {
                throw .unsupportedKind(path: path, kind: "GIF with a \(block) of this shape")
            }
            throw .unreadable(path: path, reason: sixelMessage(status))
        }
        switch receiver.result {
        case .some(.success(let image)): return image
        case .some(.failure(let unsupported)): throw .unsupportedPixelFormat(path: path, format: unsupported.format)
        case .none:
            // libsixel returns success without a frame for some valid files: name the kind when the header tells.
            if PNGColorType.of(file: absolute) == PNGColorType.greyWithAlpha {
                throw .unsupportedKind(path: path, kind: "grey-with-alpha PNG")
            }
            throw .unreadable(path: path, reason: "libsixel found no picture in it that it reads")
        }
    }
}

/// libsixel's stb_image glue keeps the allocator of the load in progress in a global, so two
/// loads at once on different threads would allocate through each other's (and one may free
/// it while the other still uses it): one load at a time.
private let loaderLock = Mutex(())

/// The most one image file may take, as its bytes or as any one decoded buffer: 64 MiB holds a
/// 4096x4096 RGBA picture, larger than any face photo needs.
public let loadLimitBytes = 64 << 20

/// Set when the loader's allocator refused a buffer during the current load (under the lock).
private let allocationRefused = Atomic<Bool>(false)

private func refuse() -> UnsafeMutableRawPointer? {
    allocationRefused.store(true, ordering: .relaxed)
    return nil
}

private let limitedMalloc: @convention(c) (Int) -> UnsafeMutableRawPointer? = { size in
    size > loadLimitBytes ? refuse() : malloc(size)
}

private let limitedCalloc: @convention(c) (Int, Int) -> UnsafeMutableRawPointer? = { count, size in
    let (total, overflow) = count.multipliedReportingOverflow(by: size)
    return overflow || total > loadLimitBytes ? refuse() : calloc(count, size)
}

private let limitedRealloc: @convention(c) (UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer? = { pointer, size in
    size > loadLimitBytes ? refuse() : realloc(pointer, size)
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
