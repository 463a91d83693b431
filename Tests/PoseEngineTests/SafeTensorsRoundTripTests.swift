import Foundation
import Testing
@testable import PoseEngine

/// Writing then reading gives back the tensors (exactly, or rounded the way
/// the dtype rounds), the metadata and the layout the format prescribes.
@Suite struct SafeTensorsRoundTripTests {
    let scratch: SafeTensorsScratch

    init() throws {
        scratch = try SafeTensorsScratch()
    }

    /// Values every dtype represents exactly, including signed zero and infinities.
    static let exactlyRepresentable: [Float] = [0, -0.0, 1, -2, 0.5, 3.25, 1024, -.infinity, .infinity]

    private func roundTrip(_ tensors: [(name: String, tensor: Tensor)], dtype: SafeTensorsDType,
                           metadata: [String: String] = [:]) throws -> SafeTensorsArchive {
        let path = scratch.path("round-trip-\(dtype.name).safetensors")
        try SafeTensors.write(tensors, to: path, metadata: metadata, dtype: dtype)
        return try SafeTensors.read(path)
    }

    private func bits(_ tensor: Tensor) -> [UInt32] { tensor.scalars.map(\.bitPattern) }

    @Test(arguments: SafeTensorsDType.allCases)
    func exactValuesSurviveEveryDType(_ dtype: SafeTensorsDType) throws {
        let values = Tensor(shape: [3, 3], scalars: Self.exactlyRepresentable)
        let bias = Tensor(shape: [2], scalars: [7, -8])
        let archive = try roundTrip([("conv.weight", values), ("conv.bias", bias)], dtype: dtype)

        #expect(archive.names == ["conv.weight", "conv.bias"])
        #expect(archive.entries.map(\.dtype) == [dtype, dtype])
        #expect(archive.entries.map(\.shape) == [[3, 3], [2]])
        #expect(archive.parameterCount == 11)
        #expect(bits(try archive.tensor(named: "conv.weight")) == bits(values))
        #expect(try archive.tensor(named: "conv.bias") == bias)
    }

    @Test func f32KeepsEveryBit() throws {
        let values: [Float] = [.pi, -.ulpOfOne, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0x1.8p-140, .nan]
        let archive = try roundTrip([("x", Tensor(shape: [6], scalars: values))], dtype: .f32)
        #expect(bits(try archive.tensor(named: "x")) == values.map(\.bitPattern))
    }

    @Test func f16RoundsAndKeepsSubnormals() throws {
        let values: [Float] = [
            0x1p-24,            // smallest subnormal half
            1023 * 0x1p-24,     // largest subnormal half
            0x1p-14,            // smallest normal half
            65504,              // largest finite half
            0x1p-25,            // halfway to the smallest subnormal: ties to even (0)
            3 * 0x1p-25,        // halfway between subnormals 1 and 2: ties to even (2)
            1 + 0x1p-11,        // halfway between 1 and its successor: ties to even (1)
            1 + 3 * 0x1p-11,    // ties to the even successor
            65520,              // rounds past the largest finite half
            -1e-9,              // underflows to negative zero
        ]
        let expected: [Float] = [
            0x1p-24, 1023 * 0x1p-24, 0x1p-14, 65504, 0, 0x1p-23, 1, 1 + 0x1p-9, .infinity, -0.0,
        ]
        let archive = try roundTrip([("x", Tensor(shape: [values.count], scalars: values))], dtype: .f16)
        #expect(bits(try archive.tensor(named: "x")) == expected.map(\.bitPattern))
    }

    @Test func bf16RoundsToNearestEven() throws {
        let values: [Float] = [1 + 0x1p-8, 1 + 3 * 0x1p-8, 0x1p-130, .greatestFiniteMagnitude, 3.1415926]
        let expected: [Float] = [1, 1 + 0x1p-6, 0x1p-130, .infinity, 3.140625]
        let archive = try roundTrip([("x", Tensor(shape: [values.count], scalars: values))], dtype: .bf16)
        #expect(bits(try archive.tensor(named: "x")) == expected.map(\.bitPattern))
    }

    @Test(arguments: [SafeTensorsDType.f16, .bf16])
    func nanStaysNaN(_ dtype: SafeTensorsDType) throws {
        let archive = try roundTrip([("x", Tensor(shape: [2], scalars: [.nan, -.nan]))], dtype: dtype)
        #expect(try archive.tensor(named: "x").scalars.allSatisfy(\.isNaN))
    }

    @Test func metadataIsKept() throws {
        let metadata = ["format": "pt", "note": "quotes \" backslash \\ newline \n tab \t bell \u{07}", "名前": "😀"]
        let archive = try roundTrip([("x", Tensor(zeros: [1]))], dtype: .f32, metadata: metadata)
        #expect(archive.metadata == metadata)
    }

    @Test func unusualNamesAndShapes() throws {
        let tensors: [(name: String, tensor: Tensor)] = [
            ("scalar", Tensor(shape: [], scalars: [42])),
            ("empty", Tensor(zeros: [0, 3])),
            ("name with \"quotes\" and ünïcödé", Tensor(shape: [1, 1, 2], scalars: [1, 2])),
            ("", Tensor(shape: [1], scalars: [5])),
        ]
        let archive = try roundTrip(tensors, dtype: .bf16)
        #expect(archive.names == tensors.map(\.name))
        for (name, tensor) in tensors {
            #expect(try archive.tensor(named: name) == tensor)
        }
    }

    @Test func emptyArchive() throws {
        let archive = try roundTrip([], dtype: .f32, metadata: ["only": "metadata"])
        #expect(archive.entries.isEmpty)
        #expect(archive.metadata == ["only": "metadata"])
    }

    @Test func layoutIsLittleEndianWithASpacePaddedHeader() throws {
        let path = scratch.path("layout.safetensors")
        try SafeTensors.write([("h", Tensor(shape: [2], scalars: [1, -2]))], to: path, dtype: .f16)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let headerLength = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }

        #expect(headerLength % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}"))
        #expect(header.drop { $0 != "}" }.dropFirst(2).allSatisfy { $0 == " " })
        #expect(Array(bytes[(8 + headerLength)...]) == [0x00, 0x3C, 0x00, 0xC0])
    }

    @Test func severalTensorsByName() throws {
        let a = Tensor(shape: [2], scalars: [1, 2])
        let b = Tensor(shape: [1], scalars: [3])
        let archive = try roundTrip([("a", a), ("b", b)], dtype: .f32)
        #expect(try archive.tensors(named: ["b", "a"]) == ["a": a, "b": b])
        #expect(archive.entry(named: "b")?.dataOffsets == 8..<12)
        #expect(archive.entry(named: "c") == nil)
    }

    @Test func unknownTensorName() throws {
        let archive = try roundTrip([("a", Tensor(zeros: [1]))], dtype: .f32)
        let error = #expect(throws: SafeTensorsError.self) { try archive.tensor(named: "b") }
        #expect(error?.kind == .noSuchTensor(name: "b"))
        #expect(error?.description.contains(archive.path) == true)
    }

    @Test func fileChangedAfterReading() throws {
        let archive = try roundTrip([("a", Tensor(zeros: [2]))], dtype: .f32)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: archive.path))
        try handle.truncate(atOffset: UInt64(archive.fileSize - 4))
        try handle.close()
        let error = #expect(throws: SafeTensorsError.self) { try archive.tensor(named: "a") }
        guard case .unreadable = error?.kind else {
            Issue.record("expected unreadable, got \(String(describing: error))")
            return
        }
    }

    @Test func writerRefusesDuplicateAndReservedNames() {
        let path = scratch.path("refused.safetensors")
        let duplicate = #expect(throws: SafeTensorsError.self) {
            try SafeTensors.write([("a", Tensor(zeros: [1])), ("a", Tensor(zeros: [1]))], to: path)
        }
        #expect(duplicate?.kind == .duplicateName(tensor: "a"))
        let reserved = #expect(throws: SafeTensorsError.self) {
            try SafeTensors.write([("__metadata__", Tensor(zeros: [1]))], to: path)
        }
        #expect(reserved?.kind == .reservedName)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func writingReplacesAtomicallyAndLeavesNoTemporaryFiles() throws {
        let path = scratch.path("model.safetensors")
        try SafeTensors.write([("old", Tensor(zeros: [4]))], to: path)
        try SafeTensors.write([("new", Tensor(shape: [1], scalars: [9]))], to: path)
        #expect(try SafeTensors.read(path).names == ["new"])
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.directory.path)
        #expect(files == ["model.safetensors"])
    }

    @Test func writingIntoAMissingDirectoryFails() {
        let path = scratch.path("no/such/dir/model.safetensors")
        let error = #expect(throws: SafeTensorsError.self) {
            try SafeTensors.write([("a", Tensor(zeros: [1]))], to: path)
        }
        guard case .unwritable = error?.kind else {
            Issue.record("expected unwritable, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains(path) == true)
    }

    @Test func readsEscapedNamesFromOtherWriters() throws {
        // A name written with a surrogate-pair escape and an escaped slash.
        let header = "{\"\\ud83d\\ude00\\/w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"
        let path = try scratch.file("escaped.safetensors", header: header, dataSize: 4)
        #expect(try SafeTensors.read(path).names == ["😀/w"])
    }
}
