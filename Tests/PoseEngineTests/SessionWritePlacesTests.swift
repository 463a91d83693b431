import Foundation
import Testing
@testable import PoseEngine

/// A session file names face images to read, never places to write: whatever its paths say,
/// PoseStudio writes only the files the user named on the command line (or the session itself).
@Suite struct SessionWritePlacesTests {
    /// Every file under `folder`, relative to it.
    private func files(under folder: URL) -> Set<String> {
        let root = folder.standardizedFileURL.path + "/"
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        var found = Set<String>()
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            found.insert(String(url.standardizedFileURL.path.dropFirst(root.count)))
        }
        return found
    }

    @Test func pathsThatClimbOutOfTheSessionFolderAreOnlyEverRead() throws {
        try #require(FileManager.default.fileExists(atPath: CommandLineProcess.executable.path), "build posestudio first (swift build)")
        let sandbox = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-places-\(UUID().uuidString)")
        let work = sandbox.appendingPathComponent("work"), outside = sandbox.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: sandbox) }
        let model = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: model) }

        // Faces that climb out of the session's folder, one far above the sandbox; each has a
        // recorded embedding so the renders go ahead without the images.
        let farAway = "/tmp/posestudio-planted-\(UUID().uuidString)/face.png"
        let climbing = [work.path + "/../outside/planted.png", work.path + "/../../../../../../../" + farAway, farAway]
        var settings = StudioSettings()
        (settings.steps, settings.previewSteps) = (2, 2)
        settings.face = .images(paths: Array(climbing.prefix(2)))
        settings.faceB = .images(paths: [farAway])
        settings.faceMix = 0.5
        let embedding = [Float](repeating: 0.3, count: StudioTestModels.configs.faceProjector.embeddingDim)
        var session = SessionFile(settings: settings, bookmarks: [Bookmark(name: "../../escape", settings: settings)])
        let encoder = try StudioModels.load(folder: model).faceEncoder.weightsFingerprint
        session.faces = Dictionary(uniqueKeysWithValues: climbing.map { ($0, RecordedFace(embedding: embedding, encoder: encoder)) })
        let sessionURL = work.appendingPathComponent("session.json")
        try session.save(to: sessionURL)
        let text = try String(contentsOf: sessionURL, encoding: .utf8)
        #expect(text.contains("..\\/outside") || text.contains("../outside"), "the climbing path is stored as written")
        let before = files(under: sandbox)

        let common = ["--session", sessionURL.path, "--model", model.path]
        let render = try CommandLineProcess.run(["render"] + common + ["--out", work.appendingPathComponent("out.png").path])
        #expect(render.status == 0, "\(render.error)")
        let sweep = try CommandLineProcess.run(["sweep", "--param", "yaw", "--from", "0", "--to", "30", "--frames", "2"] + common
                                               + ["--out", work.appendingPathComponent("sheet.png").path,
                                                  "--frames-dir", work.appendingPathComponent("frames").path])
        #expect(sweep.status == 0, "\(sweep.error)")
        // What the studio does with a session: load it, then save it under the name the user gave.
        try SessionFile.open(sessionURL).session.save(to: work.appendingPathComponent("copy.json"))

        let written = files(under: sandbox).subtracting(before)
        #expect(written == ["work/out.png", "work/sheet.png", "work/frames/frame-000.png", "work/frames/frame-001.png", "work/copy.json"])
        #expect(files(under: outside).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: farAway).deletingLastPathComponent().path))
    }
}
