import Foundation
import PoseEngine
import Testing
@testable import StudioUI

/// Tab in the face, save and open prompts completes file names as a shell does.
@Suite struct PathCompletionTests {
    /// A folder of faces: two that share "ali", one other, a subfolder and a hidden file.
    static func folder() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-complete-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("more faces"), withIntermediateDirectories: true)
        for name in ["alice.png", "alina.png", "bob.png", ".hidden.png", "more faces/carol.png"] {
            try Data([1]).write(to: root.appendingPathComponent(name))
        }
        return root
    }

    private func complete(_ text: String, several: Bool = false) -> PathCompletion {
        PathCompletion.complete(text, commaSeparated: several, list: PathCompletion.fileSystemListing)
    }

    @Test func aUniqueNameCompletesAndFoldersGetASlash() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(complete(root.path + "/b").text == root.path + "/bob.png")
        let folder = complete(root.path + "/mo")
        #expect(folder.text == root.path + "/more faces/" && folder.message == nil)
        #expect(complete(root.path + "/more faces/").text == root.path + "/more faces/carol.png")
    }

    @Test func severalMatchesCompleteTheirSharedPrefixAndAreListed() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let shared = complete(root.path + "/a")
        #expect(shared.text == root.path + "/ali")
        #expect(shared.matches == ["alice.png", "alina.png"])
        #expect(shared.message == "2 matches: alice.png  alina.png")
        #expect(!complete(root.path + "/").matches.contains(".hidden.png"), "hidden files only when asked for with a dot")
        #expect(complete(root.path + "/.h").text == root.path + "/.hidden.png")
    }

    @Test func nothingMatchingLeavesTheLineAsItWasAndSaysSo() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let none = complete(root.path + "/zed")
        #expect(none.text == root.path + "/zed" && none.message == "no file name starts with what is typed")
        #expect(complete("/nonexistent-folder/x").message == "cannot read the folder /nonexistent-folder/")
    }

    @Test func theHomeFolderIsCompletedThroughItsTilde() {
        #expect(complete("~").text == "~/")
        let home = complete("~/", several: false)
        #expect(home.unreadableFolder == nil && home.text.hasPrefix("~/"), "\(home)")
    }

    @Test func onlyTheLastOfSeveralFacePathsIsCompleted() throws {
        let root = try Self.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let line = root.path + "/alice.png,  " + root.path + "/b"
        #expect(complete(line, several: true).text == root.path + "/alice.png,  " + root.path + "/bob.png")
    }

    @Test func tabAsksTheLoopToCompleteOnlyInPathPrompts() {
        var state = AppState()
        state.mode = .entry(AppState.Entry(purpose: .face(.faceA), text: "faces/a"))
        let asked = AppUpdate.update(state, .completeEntry)
        #expect(asked.effects == [.completePath(text: "faces/a", commaSeparated: true)])

        let answered = AppUpdate.update(asked, .entryCompleted(PathCompletion(text: "faces/ali", matches: ["alice.png", "alina.png"])))
        #expect(answered.mode == .entry(AppState.Entry(purpose: .face(.faceA), text: "faces/ali",
                                                       hint: "2 matches: alice.png  alina.png")))
        let typedOn = AppUpdate.update(answered, .type("c"))
        #expect(typedOn.mode == .entry(AppState.Entry(purpose: .face(.faceA), text: "faces/alic")), "the next key clears the hint")

        state.mode = .entry(AppState.Entry(purpose: .prompt, text: "a photo"))
        #expect(AppUpdate.update(state, .completeEntry).effects.isEmpty, "prompts are not paths")
        state.mode = .entry(AppState.Entry(purpose: .saveAs(thenQuit: false), text: "s"))
        #expect(AppUpdate.update(state, .completeEntry).effects == [.completePath(text: "s", commaSeparated: false)])
    }

    @Test func aTildeInASaveOrOpenPathMeansTheHomeFolder() {
        var state = AppState()
        state.mode = .entry(AppState.Entry(purpose: .saveAs(thenQuit: false), text: "~/s.json"))
        let home = NSString(string: "~").expandingTildeInPath
        #expect(AppUpdate.update(state, .commitEntry).effects == [.save(path: home + "/s.json")])
        state.mode = .entry(AppState.Entry(purpose: .open, text: "~/s.json"))
        #expect(AppUpdate.update(state, .commitEntry).effects == [.open(path: home + "/s.json")])
    }

    @Test func theTabKeyMeansCompleteWhileTyping() {
        var state = AppState()
        state.mode = .entry(AppState.Entry(purpose: .open, text: ""))
        #expect(KeyBindings.action(for: .tab, in: state, randomSeed: { 1 }) == .completeEntry)
    }
}
