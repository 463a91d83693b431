import Foundation

/// Makes folders, and says why one could not be made in the system's own words: Foundation's
/// error prints as a domain, a code and a dictionary of keys.
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
            throw Failure(path: path, reason: systemReason(error))
        }
    }

    public static func make(_ url: URL) throws(Failure) { try make(url.path) }

    /// The system's reason under a Foundation file error ("Permission denied", "Not a
    /// directory"), else the error's own text.
    public static func systemReason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? any Error {
            let system = underlying as NSError
            if system.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(system.code))) }
        }
        return error.localizedDescription
    }
}
