import Foundation
@testable import ImageFiles
import Testing

@Suite struct ImageFilesTests {
    let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("imagefiles-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func randomImage(width: Int, height: Int, seed: UInt8) throws -> RGBImage {
        let pixels = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ Int(seed) &* 11 &+ ($0 / 7)) }
        return try RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test func pngRoundTripKeepsEveryPixel() throws {
        let image = try randomImage(width: 37, height: 21, seed: 3)
        let path = folder.appendingPathComponent("round.png").path
        try image.writePNG(to: path)
        #expect(try RGBImage.load(from: path) == image)
        // Only the finished file remains: the temporary one was renamed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["round.png"])
    }

    @Test func writingReplacesAnExistingFile() throws {
        let path = folder.appendingPathComponent("again.png").path
        try randomImage(width: 8, height: 8, seed: 1).writePNG(to: path, flush: false)
        let second = try randomImage(width: 5, height: 9, seed: 2)
        try second.writePNG(to: path, flush: false)
        #expect(try RGBImage.load(from: path) == second)
    }

    @Test func missingFilesAreNamedInTheError() {
        let path = folder.appendingPathComponent("absent.png").path
        #expect(throws: ImageFileError.fileNotFound(path: path)) { try RGBImage.load(from: path) }
        #expect(throws: ImageFileError.isFolder(path: folder.path)) { try RGBImage.load(from: folder.path) }
        #expect(ImageFileError.isFolder(path: folder.path).description == "\(folder.path) is a folder: name an image file in it")
    }

    /// Resident memory of this process in megabytes (VmHWM: the peak so far).
    private func peakResidentMegabytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kilobytes / 1024
    }

    /// libsixel hands over no frame for a grey-with-alpha PNG: the message says which kind of
    /// file it is and how to re-save it, not that the file holds no picture.
    @Test func aGreyWithAlphaPNGIsNamedAsSuch() {
        let path = Fixtures.url("grey-alpha-16.png").path
        #expect(throws: ImageFileError.unsupportedKind(path: path, kind: "grey-with-alpha PNG")) { try RGBImage.load(from: path) }
        #expect(ImageFileError.unsupportedKind(path: "a.png", kind: "grey-with-alpha PNG").description
                == "cannot read a.png: libsixel does not read a grey-with-alpha PNG; re-save it as an RGB or RGBA PNG")
    }

    /// libsixel fails on a GIF with an extension it cannot step over (an XMP application block,
    /// a comment of two sub-blocks) with a general runtime error: the message names the block.
    /// Without the block the same picture reads. Each case also checks what libsixel itself
    /// reads, so these rules are libsixel 1.10's (Debian's); a libsixel that reads more fails here.
    @Test func aGIFWithAnExtensionLibsixelCannotStepOverIsNamed() throws {
        let path = Fixtures.url("xmp-16.gif").path
        #expect(throws: ImageFileError.unsupportedKind(path: path, kind: "GIF with a \"XMP DataXMP\" application block of this shape")) {
            try RGBImage.load(from: path)
        }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let block: [UInt8] = [0x21, 0xFF, 11] + Array("XMP DataXMP".utf8) + [5] + Array("hello".utf8) + [0]
        let start = try #require(bytes.indices.first { bytes[$0...].starts(with: block) })
        bytes.removeSubrange(start..<(start + block.count))
        func write(_ file: [UInt8], _ name: String) throws -> String {
            let written = folder.appendingPathComponent(name).path
            try Data(file).write(to: URL(fileURLWithPath: written))
            return written
        }
        #expect(try RGBImage.load(from: write(bytes, "plain.gif")).width == 16)

        // Each case: blocks before the picture, blocks after it, the block named (nil: libsixel reads it).
        let netscapeIdentifier: [UInt8] = [0x21, 0xFF, 11] + Array("NETSCAPE2.0".utf8)
        let netscape = netscapeIdentifier + [3, 1, 0, 0, 0]
        let identifierAlone: [UInt8] = [0x21, 0xFF, 11] + Array("XMP DataXMP".utf8) + [0]
        let shortComment: [UInt8] = [0x21, 0xFE, 3] + Array("abc".utf8) + [0]
        let longComment: [UInt8] = [0x21, 0xFE, 3] + Array("abc".utf8) + [2] + Array("de".utf8) + [0]
        let cases: [(before: [UInt8], after: [UInt8], named: String?)] = [
            (netscape + block, [], "\"XMP DataXMP\" application block"), (netscape, [], nil), (netscape, block, nil),
            (identifierAlone + shortComment, [], nil), (longComment, [], "comment block"),
            ([0x21, 0xFF, 11] + Array("XMP\u{1B}DataXMP".utf8) + [1, 0, 0], [], "\"XMP?DataXMP\" application block"),
            (netscapeIdentifier + [0], [], "\"NETSCAPE2.0\" application block"),
            (netscapeIdentifier + [3, 1, 0, 0, 2, 9, 9, 0], [], "\"NETSCAPE2.0\" application block"),
            ([0x21, 0xFE, 0], [], "comment block"),
            ([0x21, 0x01, 12] + [UInt8](repeating: 0, count: 12) + [0], [], "plain-text block")]
        for (n, test) in cases.enumerated() {
            var file = bytes
            file.insert(contentsOf: test.before, at: start)
            file.insert(contentsOf: test.after, at: file.count - 1)  // before the trailer, after the picture
            let written = try write(file, "case\(n).gif")
            #expect(GIFExtensionBlock.unread(file: written) == test.named, "case \(n)")
            if let named = test.named {
                #expect(throws: ImageFileError.unsupportedKind(path: written, kind: "GIF with a \(named) of this shape"), "case \(n)") {
                    try RGBImage.load(from: written)
                }
            } else {
                #expect((try? RGBImage.load(from: written)) != nil, "case \(n): libsixel reads it")
            }
        }
    }

    @Test func hugeImagesAreRefusedWithoutTakingTheMemory() throws {
        // 33 KB on disk, a 16384x16384 picture (768 MiB as RGB) once decoded.
        let bomb = Fixtures.url("huge-16384.png").path
        let before = peakResidentMegabytes()
        #expect(throws: ImageFileError.tooLarge(path: bomb, limitBytes: loadLimitBytes)) { try RGBImage.load(from: bomb) }
        if let before, let after = peakResidentMegabytes() {
            #expect(after - before < 2 * (loadLimitBytes >> 20), "peak memory grew from \(before) to \(after) MB")
        }
        // A BMP header claiming 16000x16000 pixels, with no pixels after it.
        var header = Data("BM".utf8)
        for field: UInt32 in [0, 0, 54, 40, 16000, 16000] { withUnsafeBytes(of: field.littleEndian) { header.append(contentsOf: $0) } }
        for field: UInt16 in [1, 24] { withUnsafeBytes(of: field.littleEndian) { header.append(contentsOf: $0) } }
        header.append(Data(count: 24))
        let claim = folder.appendingPathComponent("claim.bmp").path
        try header.write(to: URL(fileURLWithPath: claim))
        #expect(throws: ImageFileError.tooLarge(path: claim, limitBytes: loadLimitBytes)) { try RGBImage.load(from: claim) }
        // A file larger than the limit is refused before it is read (a sparse file: no disk used).
        let big = folder.appendingPathComponent("big.png").path
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try handle.truncate(atOffset: UInt64(loadLimitBytes) + 1)
        try handle.close()
        #expect(throws: ImageFileError.tooLarge(path: big, limitBytes: loadLimitBytes)) { try RGBImage.load(from: big) }
    }

    @Test func filesThatAreNotImagesAreRejected() throws {
        let path = folder.appendingPathComponent("notes.png").path
        try Data("not an image at all".utf8).write(to: URL(fileURLWithPath: path))
        let error = caughtError { () throws(ImageFileError) in _ = try RGBImage.load(from: path) }
        guard case .unreadable(let named, _) = error else {
            Issue.record("a text file was not reported as unreadable")
            return
        }
        #expect(named == path)
    }

    /// A named pipe is refused without being opened (which would wait for a writer), and a
    /// device without being read (libsixel crashed reading a terminal).
    @Test func pipesAndDevicesAreNoImageFiles() throws {
        let pipe = folder.appendingPathComponent("pipe.png").path
        let took = try LateWriterPipe.timing(at: pipe) {
            #expect(throws: ImageFileError.notARegularFile(path: pipe)) { try RGBImage.load(from: pipe) }
        }
        #expect(took < .milliseconds(500), "the pipe was opened, waiting for its writer")
        #expect(throws: ImageFileError.notARegularFile(path: "/dev/null")) { try RGBImage.load(from: "/dev/null") }
    }

    @Test func writingIntoAMissingFolderFailsWithThePath() throws {
        let path = folder.appendingPathComponent("no/such/folder/out.png").path
        let image = try randomImage(width: 4, height: 4, seed: 0)
        let error = caughtError { () throws(ImageFileError) in try image.writePNG(to: path) }
        guard let error, case .writeFailed(let named, _) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(named == path)
        #expect(error.description.contains(path))
    }

    @Test func pixelBuffersMustMatchTheirSize() {
        #expect(throws: ImageFileError.invalidDimensions(width: 2, height: 2, pixelCount: 11)) {
            try RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 0, count: 11))
        }
        #expect(throws: ImageFileError.self) { try RGBImage(width: 0, height: 3, pixels: []) }
    }

    @Test func gridPlacesImagesInRowsWithGaps() throws {
        let red = try RGBImage(width: 4, height: 3, fill: (255, 0, 0))
        let green = try RGBImage(width: 4, height: 3, fill: (0, 255, 0))
        let blue = try RGBImage(width: 2, height: 1, fill: (0, 0, 255))
        let sheet = try RGBImage.grid([red, green, blue], columns: 2, gap: 1, background: (9, 9, 9))
        #expect(sheet.width == 2 * (4 + 1) + 1)
        #expect(sheet.height == 2 * (3 + 1) + 1)
        #expect(sheet.pixel(x: 0, y: 0) == (9, 9, 9))
        #expect(sheet.pixel(x: 1, y: 1) == (255, 0, 0))
        #expect(sheet.pixel(x: 4, y: 3) == (255, 0, 0))
        #expect(sheet.pixel(x: 5, y: 1) == (9, 9, 9))
        #expect(sheet.pixel(x: 6, y: 1) == (0, 255, 0))
        // The smaller image sits centred in its cell: cell (0, 1) starts at (1, 5), size 4x3.
        #expect(sheet.pixel(x: 2, y: 6) == (0, 0, 255))
        #expect(sheet.pixel(x: 1, y: 6) == (9, 9, 9))
        #expect(throws: ImageFileError.self) { try RGBImage.grid([], columns: 2) }
    }

    /// The error `body` throws, or nil when it succeeds.
    func caughtError(_ body: () throws(ImageFileError) -> Void) -> ImageFileError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }
}
