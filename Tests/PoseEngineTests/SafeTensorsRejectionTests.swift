import Foundation
import Testing
@testable import PoseEngine

/// Every rule the reader enforces, one malformed file each: the error has the
/// expected kind and its message names the file.
@Suite struct SafeTensorsRejectionTests {
    let scratch: SafeTensorsScratch

    init() throws {
        scratch = try SafeTensorsScratch()
    }

    private func expectRejected(
        _ path: String, as kind: SafeTensorsError.Kind, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: SafeTensorsError.self, sourceLocation: sourceLocation) {
            try SafeTensors.read(path)
        }
        #expect(error?.kind == kind, sourceLocation: sourceLocation)
        #expect(error?.path == path, sourceLocation: sourceLocation)
        #expect(error?.description.contains(path) == true, sourceLocation: sourceLocation)
    }

    /// A header for one F32 tensor per (name, shape, begin, end).
    private func header(_ tensors: [(String, [Int], Int, Int)]) -> String {
        let members = tensors.map { name, shape, begin, end in
            "\"\(name)\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":[\(begin),\(end)]}"
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    @Test func fileShorterThanTheLengthPrefix() throws {
        let path = try scratch.file("short.safetensors", bytes: [1, 0, 0])
        expectRejected(path, as: .fileTooSmall(size: 3))
    }

    @Test func emptyFile() throws {
        let path = try scratch.file("empty.safetensors", bytes: [])
        expectRejected(path, as: .fileTooSmall(size: 0))
    }

    @Test func truncatedHeader() throws {
        let full = Array(header([("a", [2], 0, 8)]).utf8)
        let bytes = SafeTensorsScratch.lengthPrefix(UInt64(full.count)) + full.prefix(10)
        let path = try scratch.file("truncated.safetensors", bytes: bytes)
        expectRejected(path, as: .headerPastEnd(length: UInt64(full.count), fileSize: 18))
    }

    @Test func truncatedData() throws {
        let path = try scratch.file("truncated-data.safetensors", header: header([("a", [4], 0, 16)]), dataSize: 12)
        expectRejected(path, as: .dataPastEnd(tensor: "a", end: 16, dataSize: 12))
    }

    @Test func headerLongerThanTheLimit() throws {
        let path = try scratch.file("huge-header.safetensors",
                                    bytes: SafeTensorsScratch.lengthPrefix(100_000_001) + Array("{}".utf8))
        expectRejected(path, as: .headerTooLarge(length: 100_000_001))
    }

    @Test func headerLengthThatWouldOverflow() throws {
        let path = try scratch.file("overflow-header.safetensors",
                                    bytes: SafeTensorsScratch.lengthPrefix(.max) + Array("{}".utf8))
        expectRejected(path, as: .headerTooLarge(length: .max))
    }

    @Test func malformedJSON() throws {
        let path = try scratch.file("bad.safetensors", header: "{\"a\": {\"dtype\": \"F32\",", dataSize: 0)
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensors.read(path) }
        guard case .malformedJSON = error?.kind else {
            Issue.record("expected malformedJSON, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains(path) == true)
    }

    @Test func topLevelIsNotAnObject() throws {
        let path = try scratch.file("array.safetensors", header: "[1, 2]", dataSize: 0)
        expectRejected(path, as: .malformedJSON(reason: "the top level is an array, not an object"))
    }

    @Test func nestingTooDeep() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let path = try scratch.file("deep.safetensors", header: "{\"a\":\(deep)}", dataSize: 0)
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensors.read(path) }
        guard case .malformedJSON(let reason) = error?.kind else {
            Issue.record("expected malformedJSON, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("nesting"))
    }

    @Test func invalidUTF8() throws {
        var bytes = Array(header([("a", [2], 0, 8)]).utf8)
        bytes[2] = 0xFF
        let path = try scratch.file("latin1.safetensors", headerBytes: bytes, dataSize: 8)
        expectRejected(path, as: .headerNotUTF8)
    }

    @Test func overlongUTF8() throws {
        // 0xC0 0xAF is an overlong "/": decoders that accept it can be fooled.
        let bytes = Array("{\"a".utf8) + [0xC0, 0xAF] + Array("\":{}}".utf8)
        let path = try scratch.file("overlong.safetensors", headerBytes: bytes, dataSize: 0)
        expectRejected(path, as: .headerNotUTF8)
    }

    @Test(arguments: ["{\"a\":[1,],}", "{\"a\":\"tab\there\"}", "{\"a\":tru}", "{\"a\":01}", "{} {}"])
    func strictJSON(_ header: String) throws {
        let path = try scratch.file("strict.safetensors", header: header, dataSize: 0)
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensors.read(path) }
        guard case .malformedJSON = error?.kind else {
            Issue.record("expected malformedJSON for \(header), got \(String(describing: error))")
            return
        }
    }

    @Test func gapBetweenTensors() throws {
        let path = try scratch.file("gap.safetensors",
                                    header: header([("a", [2], 0, 8), ("b", [2], 12, 20)]), dataSize: 20)
        expectRejected(path, as: .dataGap(tensor: "b", expectedBegin: 8, begin: 12))
    }

    @Test func dataNotStartingAtZero() throws {
        let path = try scratch.file("offset.safetensors", header: header([("a", [2], 4, 12)]), dataSize: 12)
        expectRejected(path, as: .dataGap(tensor: "a", expectedBegin: 0, begin: 4))
    }

    @Test func overlappingTensors() throws {
        let path = try scratch.file("overlap.safetensors",
                                    header: header([("a", [2], 0, 8), ("b", [2], 4, 12)]), dataSize: 12)
        expectRejected(path, as: .dataOverlap(tensor: "b", expectedBegin: 8, begin: 4))
    }

    @Test func twoTensorsSharingBytes() throws {
        let path = try scratch.file("alias.safetensors",
                                    header: header([("a", [2], 0, 8), ("b", [2], 0, 8)]), dataSize: 8)
        expectRejected(path, as: .dataOverlap(tensor: "b", expectedBegin: 8, begin: 0))
    }

    @Test func trailingBytes() throws {
        let path = try scratch.file("trailing.safetensors", header: header([("a", [2], 0, 8)]), dataSize: 9)
        expectRejected(path, as: .trailingBytes(dataEnd: 8, dataSize: 9))
    }

    @Test func byteLengthDisagreesWithShape() throws {
        let path = try scratch.file("length.safetensors", header: header([("a", [3], 0, 8)]), dataSize: 8)
        expectRejected(path, as: .byteLengthMismatch(tensor: "a", expected: 12, actual: 8))
    }

    @Test func unknownDType() throws {
        let path = try scratch.file(
            "dtype.safetensors",
            header: "{\"a\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,1]}}", dataSize: 1)
        expectRejected(path, as: .unsupportedDType(tensor: "a", dtype: "Q4"))
    }

    @Test func duplicateTensorNames() throws {
        let path = try scratch.file("duplicate.safetensors",
                                    header: header([("a", [2], 0, 8), ("a", [2], 8, 16)]), dataSize: 16)
        expectRejected(path, as: .duplicateName(tensor: "a"))
    }

    @Test func duplicateNamesSpelledWithEscapes() throws {
        // "\u0061" is "a": the same name, however it is written.
        let header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"\\u0061\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}"
        let path = try scratch.file("escaped-duplicate.safetensors", header: header, dataSize: 16)
        expectRejected(path, as: .duplicateName(tensor: "a"))
    }

    @Test func tensorNamedMetadata() throws {
        let path = try scratch.file("reserved.safetensors",
                                    header: header([("__metadata__", [2], 0, 8)]), dataSize: 8)
        expectRejected(path, as: .reservedName)
    }

    @Test func metadataValueThatIsNotAString() throws {
        let path = try scratch.file("metadata.safetensors",
                                    header: "{\"__metadata__\":{\"format\":\"pt\",\"step\":3}}", dataSize: 0)
        expectRejected(path, as: .metadataNotString(key: "step"))
    }

    @Test func dimensionsWhoseProductOverflows() throws {
        let shape = [4_294_967_296, 4_294_967_296, 4]
        let path = try scratch.file("overflow.safetensors", header: header([("a", shape, 0, 8)]), dataSize: 8)
        expectRejected(path, as: .sizeOverflow(tensor: "a", shape: shape))
    }

    @Test func dimensionTooLargeForAnInteger() throws {
        let path = try scratch.file("bignum.safetensors",
                                    header: header([("a", [99_999_999_999], 0, 8)]).replacingOccurrences(
                                        of: "99999999999", with: "99999999999999999999999"),
                                    dataSize: 8)
        expectRejected(path, as: .malformedEntry(tensor: "a", reason: "'shape' is not an array of 64-bit integers"))
    }

    @Test func negativeDimension() throws {
        let path = try scratch.file("negative.safetensors", header: header([("a", [-2, -1], 0, 8)]), dataSize: 8)
        expectRejected(path, as: .negativeDimension(tensor: "a", shape: [-2, -1]))
    }

    @Test func missingDataOffsets() throws {
        let path = try scratch.file("fields.safetensors",
                                    header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", dataSize: 8)
        expectRejected(path, as: .malformedEntry(tensor: "a", reason: "no 'data_offsets'"))
    }

    @Test func fractionalShape() throws {
        let path = try scratch.file("fraction.safetensors",
                                    header: "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}",
                                    dataSize: 8)
        expectRejected(path, as: .malformedEntry(tensor: "a", reason: "'shape' is not an array of 64-bit integers"))
    }

    @Test func missingFile() {
        let path = scratch.path("absent.safetensors")
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensors.read(path) }
        guard case .unreadable = error?.kind else {
            Issue.record("expected unreadable, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains(path) == true)
    }

    @Test func directoryInsteadOfFile() {
        let path = scratch.directory.path
        expectRejected(path, as: .unreadable(reason: "not a regular file"))
    }
}
