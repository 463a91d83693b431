import CSixel
import Foundation

extension RGBImage {
    /// Writes the image as a PNG through libsixel's writer, atomically: a temporary file in the
    /// same folder is written, flushed to disk and renamed over `path`, so readers never see half a file.
    /// Pass `flush: false` for bulk output (datasets) where a crash may simply lose the last files.
    public func writePNG(to path: String, flush: Bool = true) throws(ImageFileError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        var copy = pixels  // libsixel takes a mutable pointer; never hand it our storage
        let status = copy.withUnsafeMutableBufferPointer { buffer in
            sixel_helper_write_image_file(buffer.baseAddress, Int32(width), Int32(height), nil,
                                          SIXEL_PIXELFORMAT_RGB888, temporary, SIXEL_FORMAT_PNG, nil)
        }
        guard !sixelFailed(status), FileManager.default.fileExists(atPath: temporary) else {
            unlink(temporary)
            throw .writeFailed(path: path, reason: sixelMessage(status))
        }
        do {
            if flush { try flushToDisk(temporary) }
        } catch {
            unlink(temporary)
            throw .writeFailed(path: path, reason: error.reason)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .writeFailed(path: path, reason: reason)
        }
    }
}

private struct SystemCallError: Error {
    let reason: String
}

private func flushToDisk(_ path: String) throws(SystemCallError) {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw SystemCallError(reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else { throw SystemCallError(reason: String(cString: strerror(errno))) }
}
