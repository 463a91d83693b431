import Foundation
import Testing
import PoseEngine
import TOMLKit
@testable import StudioUI

/// A key holding a table with a key of its own name: a missing inner key must not be taken for
/// the outer one holding the wrong type.
private struct Nested: Decodable {
    struct Inner: Decodable {
        var inner: Int
        init(from decoder: any Decoder) throws {
            inner = try decoder.container(keyedBy: CodingKeys.self).decodePresent(Int.self, forKey: .inner)
        }
        enum CodingKeys: String, CodingKey { case inner }
    }
    var inner: Inner
    init(from decoder: any Decoder) throws {
        inner = try decoder.container(keyedBy: CodingKeys.self).decodePresent(Inner.self, forKey: .inner)
    }
    enum CodingKeys: String, CodingKey { case inner }
}

@Suite struct ThemeFileTests {
    private var themes: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Themes").path
    }

    @Test func everyShippedThemeLoads() throws {
        let names = ThemeFile.available(in: [themes])
        #expect(Set(["default", "light", "mono8"]).isSubset(of: Set(names)))
        for name in names { _ = try ThemeFile.load(name, folders: [themes]) }
    }

    @Test func anUnknownNameListsTheThemesThereAre() {
        #expect {
            try ThemeFile.load("neon", folders: [themes])
        } throws: { error in
            guard let failure = error as? ThemeFile.Failure, case .notFound(_, _, let available) = failure else { return false }
            return available.contains("light") && failure.description.contains("--theme")
        }
    }

    @Test func badFilesAreNamedWithTheProblem() throws {
        let shipped = try String(contentsOfFile: themes + "/default.toml", encoding: .utf8)
        let cases: [(text: String, mentions: String)] = [
            ("name = \"x\"\n[colors\n", "not valid"),
            (shipped.replacingOccurrences(of: "fg = 252", with: "fg = 300"), "300 is not an xterm-256 index"),
            (shipped.replacingOccurrences(of: "text      =", with: "txet      ="), "unknown colour \"txet\""),
            (shipped.components(separatedBy: "\n").filter { !$0.hasPrefix("warning") }.joined(separator: "\n"), "no colours for warning"),
            ("\u{0}\u{1}garbage", "not valid"),
            // Each wrong shape names its key and what it should hold, in the file's own words.
            (shipped.replacingOccurrences(of: "fg = 252", with: "fg = \"grey\""), "'colors.text.fg' should be an integer"),
            (shipped.replacingOccurrences(of: "fg = 252, bg = -1", with: "fg = 252"), "the required key 'colors.text.bg' is missing"),
            (shipped.replacingOccurrences(of: "name = \"default\"", with: ""), "not valid: the required key 'name' is missing"),
            (shipped.replacingOccurrences(of: "name = \"default\"", with: "name = 5"), "not valid: 'name' should be a string"),
            (shipped.replacingOccurrences(of: "text      = { fg = 252, bg = -1 }", with: "text = 252"), "'colors.text' should be"),
        ]
        for (text, mentions) in cases {
            #expect {
                try ThemeFile.parse(text, path: "my.toml")
            } throws: { error in
                (error as? ThemeFile.Failure)?.description.contains(mentions) == true
            }
        }
        #expect(throws: ThemeFile.Failure.self) { try ThemeFile.load(path: "/nonexistent/theme.toml") }
    }

    @Test func aMissingKeyNamedLikeItsTableIsCalledMissing() throws {
        let missing = #expect(throws: DecodingError.self) { try TOMLDecoder().decode(Nested.self, from: "[inner]\nother = 1\n") }
        #expect(missing?.problem == .missingKey(path: "inner.inner"), "\(String(describing: missing))")
        let wrong = #expect(throws: DecodingError.self) { try TOMLDecoder().decode(Nested.self, from: "[inner]\ninner = \"x\"\n") }
        #expect(wrong?.problem == .wrongType(path: "inner.inner", expected: "an integer"), "\(String(describing: wrong))")
    }

}
