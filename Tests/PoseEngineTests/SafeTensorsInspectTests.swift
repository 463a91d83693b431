import Foundation
import Testing
@testable import PoseEngine

/// What `posestudio inspect` prints, through the listing it formats and,
/// when the built executable sits next to the test bundle, end to end.
@Suite struct SafeTensorsInspectTests {
    let scratch: SafeTensorsScratch
    let path: String

    init() throws {
        scratch = try SafeTensorsScratch()
        path = scratch.path("model.safetensors")
        try SafeTensors.write(
            [("conv_in.weight", Tensor(zeros: [4, 2, 3, 3])), ("conv_in.bias", Tensor(zeros: [4]))],
            to: path, metadata: ["format": "pt"], dtype: .bf16)
    }

    @Test func text() throws {
        let listing = SafeTensorsListing(try SafeTensors.read(path))
        #expect(listing.text == """
            metadata:
              format: pt
            conv_in.weight  BF16  [4, 2, 3, 3]
            conv_in.bias    BF16  [4]
            2 tensors, 76 parameters

            """)
    }

    @Test func json() throws {
        let listing = SafeTensorsListing(try SafeTensors.read(path))
        let decoded = try JSONSerialization.jsonObject(with: Data(listing.json.utf8)) as? [String: Any]
        #expect(decoded?["parameter_count"] as? Int == 76)
        #expect(decoded?["metadata"] as? [String: String] == ["format": "pt"])
        #expect(decoded?["file"] as? String == path)
        let tensors = decoded?["tensors"] as? [[String: Any]] ?? []
        #expect(tensors.compactMap { $0["name"] as? String } == ["conv_in.weight", "conv_in.bias"])
        #expect(tensors.first?["shape"] as? [Int] == [4, 2, 3, 3])
        #expect(tensors.first?["dtype"] as? String == "BF16")
    }

    /// The `posestudio` executable built alongside the tests, if any.
    private static var executable: URL? {
        let candidates = [Bundle.main.bundleURL, Bundle(for: BundleLocator.self).bundleURL]
            .map { $0.deletingLastPathComponent().appendingPathComponent("posestudio") }
            + [Bundle.main.bundleURL.appendingPathComponent("posestudio")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String)? {
        guard let executable = Self.executable else { return nil }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self),
                String(decoding: errData, as: UTF8.self))
    }

    @Test(.enabled(if: executable != nil, "the posestudio executable is not built next to the tests"))
    func commandListsAGoodFile() throws {
        let result = try #require(try run(["inspect", path]))
        #expect(result.status == 0)
        #expect(result.out == SafeTensorsListing(try SafeTensors.read(path)).text)
        #expect(result.err.isEmpty)

        let json = try #require(try run(["inspect", path, "--json"]))
        #expect(json.out == SafeTensorsListing(try SafeTensors.read(path)).json)
    }

    @Test(.enabled(if: executable != nil, "the posestudio executable is not built next to the tests"))
    func commandReportsABadFile() throws {
        let bad = try scratch.file("bad.safetensors", header: "{\"a\":{}}", dataSize: 0)
        let result = try #require(try run(["inspect", bad]))
        #expect(result.status == 1)
        #expect(result.out.isEmpty)
        #expect(result.err.contains(bad))
        #expect(result.err.contains("no 'dtype'"))
    }
}

/// Anchors `Bundle(for:)` to the test bundle.
private final class BundleLocator {}
