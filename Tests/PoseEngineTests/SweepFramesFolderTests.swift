import Foundation
import Testing
@testable import PoseEngine

/// A sweep's frames folder holds that sweep alone, and a studio export never overwrites an earlier one.
@Suite struct SweepFramesFolderTests {
    let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-frames-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func names(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    @Test func framesPastTheNewCountAreRemovedAndNothingElse() throws {
        for name in ["frame-000.png", "frame-001.png", "frame-002.png", "frame-1000.png", "frame-01.png", "frame-abc.png", "notes.txt"] {
            try Data().write(to: folder.appendingPathComponent(name))
        }
        try SweepFramesFolder.removeFrames(in: folder.path, from: 2)
        #expect(try names(folder) == ["frame-000.png", "frame-001.png", "frame-01.png", "frame-abc.png", "notes.txt"])
    }

    @Test func aFileWhereTheFolderShouldBeIsNamed() throws {
        let file = folder.appendingPathComponent("taken")
        try Data().write(to: file)
        #expect(throws: SweepFramesFolder.Failure.self) { try SweepFramesFolder.prepare(file.path) }
        do { try SweepFramesFolder.prepare(file.path) } catch {
            #expect(error.description == "\(file.path) is a file, not a folder: name a folder for the frames")
        }
        let nested = folder.appendingPathComponent("a/b").path
        try SweepFramesFolder.prepare(nested)
        #expect(FileManager.default.fileExists(atPath: nested))
    }

    @Test func anExportTakesTheFirstFreeName() throws {
        let base = folder.appendingPathComponent("s-sweep-yaw").path
        #expect(SweepFramesFolder.unused(base) == base)
        try SweepFramesFolder.prepare(base)
        #expect(SweepFramesFolder.unused(base) == base + "-2")
        try Data().write(to: URL(fileURLWithPath: base + "-2"))
        #expect(SweepFramesFolder.unused(base) == base + "-3", "a file of that name is taken too")
    }
}
