import AtomicFiles
import CSixel
import Foundation

extension RGBImage {
    /// Writes the image as a PNG through libsixel's writer, atomically (`AtomicFileWriter`): readers
    /// never see half a file, and a symbolic link or a device (`/dev/stdout`) is written through.
    /// Pass `flush: false` for bulk output (datasets) where a crash may simply lose the last files.
    public func writePNG(to path: String, flush: Bool = true) throws(ImageFileError) {
        let writer: AtomicFileWriter
        do { writer = try AtomicFileWriter(path: path) } catch { throw .writeFailed(path: path, reason: error.reason) }
        var copy = pixels  // libsixel takes a mutable pointer; never hand it our storage
        let status = copy.withUnsafeMutableBufferPointer { buffer in
            sixel_helper_write_image_file(buffer.baseAddress, Int32(width), Int32(height), nil,
                                          SIXEL_PIXELFORMAT_RGB888, writer.temporaryPath, SIXEL_FORMAT_PNG, nil)
        }
        guard !sixelFailed(status) else { throw .writeFailed(path: path, reason: sixelMessage(status)) }
        do { try writer.commit(flush: flush) } catch { throw .writeFailed(path: path, reason: error.reason) }
    }
}
