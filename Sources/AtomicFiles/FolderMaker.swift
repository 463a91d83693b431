import Foundation

/// Makes folders, and says why one could not be made in the system's own words.
public enum FolderMaker {
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot create the folder \(path): \(reason)" }
    }

    /// Makes `path` and every missing folder above it; a folder already there is fine.
    public static func make(_ path: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Failure(path: path, reason: SystemReason.of(error))
        }
    }

    public static func make(_ url: URL) throws(Failure) { try make(url.path) }
}
