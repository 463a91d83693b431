import Foundation
@testable import PoseEngine

/// A scratch directory for one test, removed when the value goes away.
final class SafeTensorsScratch {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("posestudio-safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// Writes raw bytes, for files no correct writer would produce.
    @discardableResult
    func file(_ name: String, bytes: [UInt8]) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A safetensors file with `header` verbatim (its real length in the
    /// prefix) followed by `dataSize` bytes.
    @discardableResult
    func file(_ name: String, header: String, dataSize: Int) throws -> String {
        try file(name, headerBytes: Array(header.utf8), dataSize: dataSize)
    }

    @discardableResult
    func file(_ name: String, headerBytes: [UInt8], dataSize: Int) throws -> String {
        try file(name, bytes: Self.lengthPrefix(UInt64(headerBytes.count)) + headerBytes
                 + [UInt8](repeating: 0, count: dataSize))
    }

    static func lengthPrefix(_ length: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) }
    }
}
