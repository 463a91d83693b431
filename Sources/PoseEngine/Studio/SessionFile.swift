import Foundation

/// A saved studio session: versioned JSON around the settings, written atomically.
public struct SessionFile: Codable, Sendable, Equatable {
    public static let currentVersion = 1
    public var version: Int
    public var settings: StudioSettings

    public init(settings: StudioSettings) {
        version = Self.currentVersion
        self.settings = settings
    }

    public static func load(from url: URL) throws -> SessionFile {
        guard FileManager.default.fileExists(atPath: url.path) else { throw SessionFileError.missing(path: url.path) }
        let session = try ConfigFile.decode(SessionFile.self, from: url)
        guard session.version <= currentVersion else {
            throw SessionFileError.newerVersion(path: url.path, version: session.version)
        }
        return session
    }

    public func save(to url: URL) throws {
        try PrettyJSONFile.write(self, to: url)
    }
}

public enum SessionFileError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case newerVersion(path: String, version: Int)

    public var description: String {
        switch self {
        case .missing(let path): return "no session file at \(path): check the path"
        case .newerVersion(let path, let version):
            return "\(path) is a version \(version) session; this posestudio reads up to version \(SessionFile.currentVersion): update posestudio"
        }
    }
}
