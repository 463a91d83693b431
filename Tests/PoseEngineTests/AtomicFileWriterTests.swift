import AtomicFiles
import Foundation
import ImageFiles
import Testing

/// A replacing write goes where the path points: through a symbolic link to its file, into a
/// pipe or device as a stream, and keeps the permissions of the file it replaces.
@Suite struct AtomicFileWriterTests {
    let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-writer-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func write(_ text: String, to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(Array(text.utf8))
        try writer.commit()
    }

    func fileType(_ path: String) -> mode_t {
        var status = stat()
        lstat(path, &status)
        return status.st_mode & S_IFMT
    }

    @Test func aLinkStaysALinkAndItsFileIsReplaced() throws {
        let target = folder.appendingPathComponent("real.json").path
        let link = folder.appendingPathComponent("link.json").path
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.json")
        try write("new", to: link)
        #expect(fileType(link) == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
    }

    @Test func aLinkToAFileNotYetThereCreatesThatFile() throws {
        let link = folder.appendingPathComponent("dangling.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "made.json")
        try write("made", to: link)
        #expect(fileType(link) == S_IFLNK)
        #expect(try String(contentsOfFile: folder.appendingPathComponent("made.json").path, encoding: .utf8) == "made")
    }

    @Test func theReplacedFileKeepsItsPermissions() throws {
        let path = folder.appendingPathComponent("private.json").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o600)
        try write("new", to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
    }

    @Test func aPipeIsWrittenIntoAndStaysAPipe() throws {
        let pipe = folder.appendingPathComponent("pipe").path
        #expect(mkfifo(pipe, 0o644) == 0)
        let received = Received()
        let reader = Thread { received.bytes = FileHandle(forReadingAtPath: pipe)?.readDataToEndOfFile() }
        reader.start()
        let image = try RGBImage(width: 3, height: 2, pixels: (0..<18).map { UInt8($0 * 13) })
        try image.writePNG(to: pipe)
        // Were the pipe renamed over, the reader would wait for a writer forever: give up on it.
        let deadline = Date().addingTimeInterval(10)
        while !reader.isFinished, Date() < deadline { usleep(1000) }
        #expect(reader.isFinished, "the reader got the bytes and the end of the file")
        #expect(fileType(pipe) == S_IFIFO)
        #expect(received.bytes?.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["pipe"])
    }

    @Test func aPNGWrittenThroughALinkReplacesTheLinkedFile() throws {
        let target = folder.appendingPathComponent("picture.png").path
        let link = folder.appendingPathComponent("latest.png").path
        try "not yet a picture".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let image = try RGBImage(width: 4, height: 4, pixels: (0..<48).map { UInt8($0 * 5) })
        try image.writePNG(to: link)
        #expect(fileType(link) == S_IFLNK)
        #expect(try RGBImage.load(from: target) == image)
    }
}

/// What the reading thread got; read only after the thread has finished.
private final class Received: @unchecked Sendable {
    var bytes: Data?
}
