import AtomicFiles
import Foundation
import ImageFiles
import Testing

/// A replacing write goes where the path points: through a symbolic link to its file, into a
/// pipe or device as a stream, and keeps the permissions of the file it replaces.
@Suite final class AtomicFileWriterTests {
    let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-writer-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

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
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("posestudio-pipe.\(getpid()).") }
        #expect(leftovers.isEmpty, "the bytes gathered for the pipe are removed")
    }

    @Test func anOpenDescriptorIsWrittenAsTheShellOpenedIt() throws {
        // `--out /dev/stdout >> log`: the log keeps what it held, and the picture follows it.
        let log = folder.appendingPathComponent("log").path
        try "earlier lines\n".write(toFile: log, atomically: false, encoding: .utf8)
        let appending = open(log, O_WRONLY | O_APPEND)
        #expect(appending >= 0)
        defer { close(appending) }
        try write("new bytes", to: "/dev/fd/\(appending)")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "earlier lines\nnew bytes")
        #expect(fileType(log) == S_IFREG)
    }

    @Test func aLoopOfLinksIsRefusedAndLeftAsItWas() throws {
        let a = folder.appendingPathComponent("a").path
        let b = folder.appendingPathComponent("b").path
        try FileManager.default.createSymbolicLink(atPath: a, withDestinationPath: "b")
        try FileManager.default.createSymbolicLink(atPath: b, withDestinationPath: "a")
        #expect(throws: AtomicFileWriter.Failure.self) { try self.write("x", to: a) }
        #expect(fileType(a) == S_IFLNK && fileType(b) == S_IFLNK)
    }

    @Test func aModelSaveReplacesALinkInsteadOfTheSharedFile() throws {
        let shared = folder.appendingPathComponent("shared.safetensors").path
        let link = folder.appendingPathComponent("model.safetensors").path
        try "shared".write(toFile: shared, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: shared)
        let writer = try AtomicFileWriter(path: link, followingLinks: false)
        try writer.write(Array("own".utf8))
        try writer.commit()
        #expect(fileType(link) == S_IFREG)
        #expect(try String(contentsOfFile: shared, encoding: .utf8) == "shared")
        #expect(try String(contentsOfFile: link, encoding: .utf8) == "own")
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
