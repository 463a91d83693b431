import Foundation
import Testing
@testable import PoseEngine

/// Where commands look for the default model when no --model is given.
@Suite struct DefaultModelLocationTests {
    /// A scratch folder with a checkout at `checkout/` (Package.swift and
    /// `Models/default/unet/config.json`), its built binary three folders down, and an unrelated
    /// working directory `elsewhere/`.
    private struct Layout {
        let root: URL
        var checkout: URL { root.appendingPathComponent("checkout") }
        var model: String { checkout.appendingPathComponent("Models/default").standardizedFileURL.path }
        var binary: URL { checkout.appendingPathComponent(".build/x86_64-unknown-linux-gnu/release/posestudio") }
        var elsewhere: URL { root.appendingPathComponent("elsewhere") }

        init() throws {
            let files = FileManager.default
            // Resolved, so that paths built from it compare with the links-followed ones the lookup returns.
            root = files.temporaryDirectory.resolvingSymlinksInPath().appendingPathComponent("model-location-\(UUID().uuidString)")
            try files.createDirectory(at: root.appendingPathComponent("checkout/Models/default/unet"), withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: root.appendingPathComponent("checkout/Models/default/unet/config.json"))
            try Data().write(to: root.appendingPathComponent("checkout/Package.swift"))
            try files.createDirectory(at: root.appendingPathComponent("checkout/.build/x86_64-unknown-linux-gnu/release"),
                                      withIntermediateDirectories: true)
            try Data().write(to: root.appendingPathComponent("checkout/.build/x86_64-unknown-linux-gnu/release/posestudio"))
            try files.createDirectory(at: root.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
        }

        func resolved(_ environment: [String: String] = [:], from folder: URL, executable: URL?) -> String {
            DefaultModelLocation.resolve(environment: environment, workingDirectory: folder, executable: executable).path
        }

        func local(_ folder: URL) -> String { folder.appendingPathComponent("Models/default").standardizedFileURL.path }
    }

    @Test func theCheckoutTheBinaryWasBuiltInIsFoundFromAnyDirectory() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        #expect(layout.resolved(from: layout.elsewhere, executable: layout.binary) == layout.model)
        // A link to the binary, as from a bin folder on PATH, leads to the same checkout.
        let link = layout.elsewhere.appendingPathComponent("posestudio")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: layout.binary)
        #expect(layout.resolved(from: layout.root, executable: link) == layout.model)
    }

    @Test func aModelFolderInTheWorkingDirectoryComesFirstEvenWhenIncomplete() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        // A model being trained here, with no UNet yet: read it, so that what it lacks is named.
        let judge = layout.elsewhere.appendingPathComponent("Models/default/judge")
        try FileManager.default.createDirectory(at: judge, withIntermediateDirectories: true)
        #expect(layout.resolved(from: layout.elsewhere, executable: layout.binary) == layout.local(layout.elsewhere))
    }

    @Test func theEnvironmentVariableWinsEvenWhenItsFolderIsMissing() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let named = layout.resolved(["POSESTUDIO_MODEL": "models/mine"], from: layout.elsewhere, executable: layout.binary)
        #expect(named == layout.elsewhere.appendingPathComponent("models/mine").standardizedFileURL.path)
        let empty = layout.resolved(["POSESTUDIO_MODEL": ""], from: layout.elsewhere, executable: layout.binary)
        #expect(empty == layout.model, "an empty setting counts as unset")
    }

    @Test func onlyAPoseStudioCheckoutCountsAboveTheBinary() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        // A binary copied into a folder whose parent happens to hold Models/default but no Package.swift.
        let stray = layout.elsewhere.appendingPathComponent("bin/posestudio")
        try FileManager.default.createDirectory(at: stray.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data().write(to: stray)
        try FileManager.default.createDirectory(at: layout.elsewhere.appendingPathComponent("Models/default/unet"),
                                                withIntermediateDirectories: true)
        #expect(layout.resolved(from: layout.root, executable: stray) == layout.local(layout.root))
    }

    @Test func withoutAModelAnywhereTheWorkingDirectorysPathIsReportedMissing() throws {
        let layout = try Layout()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let stray = layout.elsewhere.appendingPathComponent("posestudio")
        try Data().write(to: stray)
        let path = layout.resolved(from: layout.elsewhere, executable: stray)
        #expect(path == layout.local(layout.elsewhere))
        let error = #expect(throws: ModelFolderError.self) { try ModelFolder(path).load(PoseJudge.self, "judge") }
        #expect(error?.description.contains("there is no model folder at \(path)") == true)
        #expect(error?.description.contains("--model DIR") == true && error?.description.contains("POSESTUDIO_MODEL") == true)
    }

    /// A component folder without its config.json is named as such, not as a missing component.
    @Test func aComponentFolderWithoutItsConfigIsNamed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-noconfig-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("judge"), withIntermediateDirectories: true)
        let error = #expect(throws: ModelFolderError.self) { try ModelFolder(root.path).load(PoseJudge.self, "judge") }
        #expect(error?.description.hasPrefix("there is no \(root.path)/judge/config.json") == true, "\(String(describing: error))")
        try FileManager.default.removeItem(at: root.appendingPathComponent("judge"))
        let missing = #expect(throws: ModelFolderError.self) { try ModelFolder(root.path).load(PoseJudge.self, "judge") }
        #expect(missing?.description.contains("has no judge/ component") == true)
    }
}
