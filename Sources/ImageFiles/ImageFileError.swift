/// What went wrong reading or writing an image file, naming the file so a user can fix it.
public enum ImageFileError: Error, Equatable, CustomStringConvertible {
    /// No file exists at the path.
    case fileNotFound(path: String)
    /// The path names a folder, not an image file.
    case isFolder(path: String)
    /// The path names a device, a pipe or a socket.
    case notARegularFile(path: String)
    /// The file exists but libsixel could not decode it as an image.
    case unreadable(path: String, reason: String)
    /// A valid file of a kind libsixel does not read (a grey-with-alpha PNG).
    case unsupportedKind(path: String, kind: String)
    /// The file decoded to a pixel layout PoseStudio cannot turn into RGB.
    case unsupportedPixelFormat(path: String, format: Int32)
    /// The file, or the picture it decodes to, is larger than PoseStudio reads.
    case tooLarge(path: String, limitBytes: Int)
    /// The image could not be written (folder missing, no permission, disk full ...).
    case writeFailed(path: String, reason: String)
    /// A pixel buffer whose size does not match its width and height.
    case invalidDimensions(width: Int, height: Int, pixelCount: Int)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "no image file at \(path): check the path"
        case .isFolder(let path):
            return "\(path) is a folder: name an image file in it"
        case .notARegularFile(let path):
            return "\(path) is a device, a pipe or a socket, not an image file: name a PNG, JPEG, GIF or BMP file"
        case .unreadable(let path, let reason):
            return "cannot read \(path) as an image (\(reason)): use a PNG, JPEG, GIF or BMP file"
        case .unsupportedKind(let path, let kind):
            return "cannot read \(path): libsixel does not read a \(kind); re-save it as an RGB or RGBA PNG"
        case .unsupportedPixelFormat(let path, let format):
            return "cannot convert the pixels of \(path) to RGB (libsixel pixel format \(format)): re-save it as an RGB PNG"
        case .tooLarge(let path, let limit):
            return "\(path) is too large an image: files and decoded pictures are limited to \(limit >> 20) MiB (about 4096x4096 pixels); scale it down"
        case .writeFailed(let path, let reason):
            return "cannot write \(path) (\(reason)): check that the folder exists and is writable"
        case .invalidDimensions(let width, let height, let pixelCount):
            return "an RGB image of \(width)x\(height) needs \(max(0, width) * max(0, height) * 3) bytes, got \(pixelCount)"
        }
    }
}
