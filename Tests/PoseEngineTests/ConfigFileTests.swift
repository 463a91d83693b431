import Foundation
import Testing
@testable import PoseEngine

/// A config with the shape of a diffusers one: snake_case keys, a list, an optional.
private struct SampleConfig: Decodable, Equatable {
    var blockOutChannels: [Int]
    var layersPerBlock: Int
    var actFn: String?

    enum CodingKeys: String, CodingKey {
        case blockOutChannels = "block_out_channels", layersPerBlock = "layers_per_block", actFn = "act_fn"
    }
}

/// Decodes a count and an enum with no case 0, so that a 0 written over its number fails otherwise.
private struct WithChoice: Decodable {
    enum Choice: Int, Decodable { case one = 1 }
    var choice: Choice
    var count: Int
}

@Suite struct ConfigFileTests {
    let scratch: SafeTensorsScratch

    init() throws {
        scratch = try SafeTensorsScratch()
    }

    private func config(_ text: String) throws -> URL {
        URL(fileURLWithPath: try scratch.file("config.json", bytes: Array(text.utf8)))
    }

    private func expectFailure(_ text: String, _ kind: ConfigFileError.Kind,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = try config(text)
        let error = #expect(throws: ConfigFileError.self, sourceLocation: sourceLocation) {
            try decodeConfig(SampleConfig.self, from: url)
        }
        #expect(error?.kind == kind, sourceLocation: sourceLocation)
        #expect(error?.description.contains(url.path) == true, sourceLocation: sourceLocation)
    }

    @Test func decodesAndIgnoresUnknownKeys() throws {
        let url = try config(#"{"_class_name": "UNet2DConditionModel", "block_out_channels": [32, 64], "layers_per_block": 1}"#)
        #expect(try decodeConfig(SampleConfig.self, from: url)
                == SampleConfig(blockOutChannels: [32, 64], layersPerBlock: 1, actFn: nil))
    }

    @Test func missingKeyIsNamed() throws {
        try expectFailure(#"{"block_out_channels": [32]}"#, .missingKey(path: "layers_per_block"))
        // A key named like the object it is missing from is named under it.
        struct Outer: Decodable { struct Inner: Decodable { var inner: Int }; var inner: Inner }
        let url = try config(#"{"inner": {}}"#)
        let error = #expect(throws: ConfigFileError.self) { try decodeConfig(Outer.self, from: url) }
        #expect(error?.kind == .missingKey(path: "inner.inner"))
    }

    @Test func wrongTypeNamesTheElement() throws {
        try expectFailure(#"{"block_out_channels": [32, "64"], "layers_per_block": 1}"#,
                          .wrongType(path: "block_out_channels[1]", expected: "an integer"))
    }

    @Test func nullWhereAValueIsRequired() throws {
        try expectFailure(#"{"block_out_channels": [32], "layers_per_block": null}"#,
                          .wrongType(path: "layers_per_block", expected: "an integer, not null"))
    }

    /// A key given twice is named wherever it is, even where the type ignores the key: the
    /// decoder would keep one of the values without a word.
    @Test func aRepeatedKeyIsNamedWhereverItIs() throws {
        try expectFailure(#"{"block_out_channels": [32], "layers_per_block": 1, "layers_per_block": 2}"#,
                          .repeatedKey(path: "layers_per_block"))
        try expectFailure(#"{"block_out_channels": [32], "layers_per_block": 1, "extra": [{"a": 1}, {"b": {"c": 1, "c": 2}}]}"#,
                          .repeatedKey(path: "extra[1].b.c"))
        // The same key in two objects is not repeated.
        let url = try config(#"{"block_out_channels": [32], "layers_per_block": 1, "extra": [{"a": 1}, {"a": 2}], "more": {"a": 3}}"#)
        #expect(try decodeConfig(SampleConfig.self, from: url).layersPerBlock == 1)
        let error = #expect(throws: ConfigFileError.self) {
            try decodeConfig(SampleConfig.self, from: try config(#"{"block_out_channels": [32], "layers_per_block": 1, "act_fn": "silu", "act_fn": "gelu"}"#))
        }
        #expect(error?.description.hasSuffix("'act_fn' is given more than once; keep the one you mean") == true, "\(String(describing: error))")
    }

    /// The decoder steps over a byte-order mark and trailing commas; neither lets a file past
    /// the check for repeated keys, and a file nested deeper than that check follows is refused
    /// by its place.
    @Test func whatTheDecoderStepsOverDoesNotSkipTheRepeatedKeyCheck() throws {
        let mark = "\u{FEFF}"
        try expectFailure(mark + #"{"block_out_channels": [32], "layers_per_block": 1, "layers_per_block": 2}"#,
                          .repeatedKey(path: "layers_per_block"))
        let marked = try config(mark + #"{"block_out_channels": [32], "layers_per_block": 3}"#)
        #expect(try decodeConfig(SampleConfig.self, from: marked).layersPerBlock == 3)
        try expectFailure(#"{"block_out_channels": [32,], "layers_per_block": 1, "layers_per_block": 2,}"#,
                          .repeatedKey(path: "layers_per_block"))
        let trailing = try config(#"{"block_out_channels": [32, 64,], "layers_per_block": 4,}"#)
        #expect(try decodeConfig(SampleConfig.self, from: trailing) == SampleConfig(blockOutChannels: [32, 64], layersPerBlock: 4))

        let depth = OrderedJSONParser.maximumDepth
        let deep = "{\"block_out_channels\": [32],\n\"layers_per_block\": 1, \"extra\": "
            + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        try expectFailure(deep, .nestedTooDeep(levels: depth, at: "line 2, column \(32 + depth)"))
        // On the first line, behind a byte-order mark, columns count what an editor shows.
        try expectFailure(mark + deep.replacingOccurrences(of: "\n", with: " "),
                          .nestedTooDeep(levels: depth, at: "line 1, column \(61 + depth)"))
        // A value inside the deepest arrays allowed is no level more.
        let deepest = #"{"block_out_channels": [32], "layers_per_block": 1, "extra": "#
            + String(repeating: "[", count: depth - 1) + "7" + String(repeating: "]", count: depth - 1) + "}"
        #expect(try decodeConfig(SampleConfig.self, from: try config(deepest)).layersPerBlock == 1)
    }

    /// Texts the decoder reads more leniently than the ordered parse load as they always did,
    /// unchecked for repeated keys: UTF-16, and escapes in a value no key reads.
    @Test func textsOnlyTheDecoderFollowsStillLoad() throws {
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in #"{"block_out_channels": [32], "layers_per_block": 5}"#.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let wide = URL(fileURLWithPath: try scratch.file("config.json", bytes: utf16))
        #expect(try decodeConfig(SampleConfig.self, from: wide).layersPerBlock == 5)
        let escaped = try config(#"{"block_out_channels": [32], "layers_per_block": 6, "note": "\x"}"#)
        #expect(try decodeConfig(SampleConfig.self, from: escaped).layersPerBlock == 6)
    }

    @Test func notJSON() throws {
        let url = try config("{\"block_out_channels\": [32,")
        let error = #expect(throws: ConfigFileError.self) { try decodeConfig(SampleConfig.self, from: url) }
        guard case .notJSON = error?.kind else {
            Issue.record("expected notJSON, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains(url.path) == true)
        #expect(error?.description.hasSuffix("the text ends too early (is the file cut short?)") == true, "\(String(describing: error))")
    }

    @Test func aSyntaxErrorIsPlacedByLineAndColumn() throws {
        let url = try config("{\n  \"layers_per_block\": 1,,\n}")
        let error = #expect(throws: ConfigFileError.self) { try decodeConfig(SampleConfig.self, from: url) }
        #expect(error?.description.hasSuffix("at line 2, column 25") == true, "\(String(describing: error))")
        #expect(ConfigFile.syntaxProblem(in: Array(#"{"a": [1, 2]}"#.utf8)) == nil)
        #expect(ConfigFile.syntaxProblem(in: Array("{\"p\": \"café\",,}".utf8))?.hasSuffix("at line 1, column 14") == true,
                "columns count characters, not bytes")
    }

    @Test func aNumberThatDoesNotFitItsKeyIsNamedAndPlaced() throws {
        // JSONDecoder reports these as "not valid JSON" with no key; the file's own place is found.
        try expectFailure("{\n  \"block_out_channels\": [32, 64],\n  \"layers_per_block\": 2.5\n}",
                          .unfitNumber("2.5", at: "for 'layers_per_block' at line 3, column 23"))
        // Of several, the first is named.
        try expectFailure(#"{"layers_per_block": 2, "block_out_channels": [32, 1.5, 1e30]}"#,
                          .unfitNumber("1.5", at: "at line 1, column 52"))
        let fractional = try config(#"{"block_out_channels": [32], "layers_per_block": 1.5}"#)
        let refusal = #expect(throws: ConfigFileError.self) { try decodeConfig(SampleConfig.self, from: fractional) }
        #expect((refusal?.description ?? "").hasSuffix("1.5 for 'layers_per_block' at line 1, column 50 is not a number that key can hold "
                           + "(seeds and counts are whole numbers, not negative; every number has a largest size)"))
        // A 0 that changes how the file fails is not taken for a mend: the number that does not
        // fit is found whichever order the keys are in, or none is named.
        let enumFirst = Array(#"{"choice": 1, "count": 1.5}"#.utf8)
        let countFirst = Array(#"{"count": 1.5, "choice": 1}"#.utf8)
        for (file, mustFind) in [(enumFirst, true), (countFirst, false)] {
            let found = UnfitNumber.locate(in: file, decoding: { bytes in
                do {
                    _ = try JSONDecoder().decode(WithChoice.self, from: Data(bytes))
                    return .decodes
                } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
                    return .refused
                } catch {
                    return .failsOtherwise
                }
            })
            #expect(found?.number == "1.5" || (!mustFind && found == nil), "\(String(decoding: file, as: UTF8.self)): \(String(describing: found))")
        }
        #expect(UnfitNumber.locate(in: Array(#"{"k\"1": 1.5}"#.utf8), decoding: { $0.contains(UInt8(ascii: ".")) ? .refused : .decodes })?.key
                == #"k\"1"#, "a key with an escaped quote is named whole")
        // A string holding digits, or a number inside a key's name, is no number of the file's.
        #expect(UnfitNumber.numberRanges(in: Array(#"{"a-1": "2", "b": -3.5e+2, "c\"9": [4]}"#.utf8)).count == 2)
    }

    @Test func tooLarge() throws {
        let padding = String(repeating: " ", count: ConfigFile.maximumSize)
        try expectFailure("{\"layers_per_block\": 1}" + padding, .tooLarge(size: ConfigFile.maximumSize + 23))
    }

    /// Opening a named pipe for reading would wait for a writer; it is refused at once.
    @Test func aNamedPipeIsRefusedWithoutWaiting() throws {
        let path = scratch.path("pipe.json")
        let took = try LateWriterPipe.timing(at: path) {
            let error = #expect(throws: ConfigFileError.self) { try decodeConfig(SampleConfig.self, from: URL(fileURLWithPath: path)) }
            #expect(error?.kind == .unreadable(reason: "not a regular file"))
        }
        #expect(took < .milliseconds(500), "the pipe was opened, waiting for its writer")
    }

    @Test func missingFile() {
        let url = URL(fileURLWithPath: scratch.path("absent/config.json"))
        let error = #expect(throws: ConfigFileError.self) { try decodeConfig(SampleConfig.self, from: url) }
        #expect(error?.kind == .unreadable(reason: "No such file or directory"))
        #expect(error?.description.contains(url.path) == true)
    }
}
