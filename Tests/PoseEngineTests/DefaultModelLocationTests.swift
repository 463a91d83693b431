import Foundation
import Testing
@testable import PoseEngine

/// Where commands look for the default model when no --model is given.
@Suite struct DefaultModelLocationTests {
    /// A scratch folder with a checkout at `checkout/` holding `Models/default/unet/config.json`,
    /// its built binary four levels down, and an unrelated working directory `elsewhere/`.
    private struct Layout {
        let root: URL
        var checkout: URL { root.appendingPathComponent("checkout") }
        var model: URL { checkout.appendingPathComponent("Models/default") }
        var binary: URL { checkout.appendingPathComponent(".build/x86_64-unknown-linux-gnu/release/posestudio") }
        var elsewhere: URL { root.appendingPathComponent("elsewhere") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("model-location-\(UUID().uuidString)")
            let files = FileManager.default
            try files.createDirectory(at: root.appendingPathComponent("checkout/Models/default/unet"), withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: root.appendingPathComponent("checkout/Models/default/unet/config.json"))
            try files.createDirectory(at: root.appendingPathComponent("checkout/.build/x86_64-unknown-linux-gnu/release"),
                                      withIntermediateDirectories: true)
            try Data().write(to: root.appendingPathComponent("checkout/.build/x86_64-unknown-linux-gnu/release/posestudio"))
            try files.createDirectory(at: root.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
        }
    }

    private func resolved(_ layout: Layout, environment: [String: String] = [:], from folder: URL, executable: URL?) -> String {
        DefaultModelLocation.resolve(environment: environment, workingDirectory: folder, executable: executable).path
    }

    @Test func theCheckoutTheBinaryWasBuiltInIsFoundFromAnyDirectory() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        #expect(resolved(layout, from: layout.elsewhere, executable: layout.binary) == layout.model.standardizedFileURL.path)
        // A link to the binary, as from a bin folder on PATH, leads to the same checkout.
        let link = layout.elsewhere.appendingPathComponent("posestudio")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: layout.binary)
        #expect(resolved(layout, from: layout.root, executable: link) == layout.model.standardizedFileURL.path)
    }

    @Test func theWorkingDirectoryComesBeforeTheBinarysCheckout() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let local = layout.elsewhere.appendingPathComponent("Models/default/unet")
        try FileManager.default.createDirectory(at: local, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: local.appendingPathComponent("config.json"))
        #expect(resolved(layout, from: layout.elsewhere, executable: layout.binary)
                == layout.elsewhere.appendingPathComponent("Models/default").standardizedFileURL.path)
    }

    @Test func theEnvironmentVariableWinsEvenWhenItsFolderIsMissing() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let named = resolved(layout, environment: ["POSESTUDIO_MODEL": "models/mine"], from: layout.elsewhere, executable: layout.binary)
        #expect(named == layout.elsewhere.appendingPathComponent("models/mine").standardizedFileURL.path)
        let empty = resolved(layout, environment: ["POSESTUDIO_MODEL": ""], from: layout.elsewhere, executable: layout.binary)
        #expect(empty == layout.model.standardizedFileURL.path, "an empty setting counts as unset")
    }

    @Test func withoutAModelAnywhereTheWorkingDirectorysPathIsReportedMissing() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let stray = layout.elsewhere.appendingPathComponent("posestudio")
        try Data().write(to: stray)
        let path = resolved(layout, from: layout.elsewhere, executable: stray)
        #expect(path == layout.elsewhere.appendingPathComponent("Models/default").standardizedFileURL.path)
        #expect(throws: ModelFolderError.self) { try ModelFolder(path).load(PoseJudge.self, "judge") }
        do {
            _ = try ModelFolder(path).load(PoseJudge.self, "judge")
        } catch let error as ModelFolderError {
            #expect(error.description.contains("there is no model folder at \(path)"))
            #expect(error.description.contains("--model DIR") && error.description.contains("POSESTUDIO_MODEL"))
        }
    }
}
