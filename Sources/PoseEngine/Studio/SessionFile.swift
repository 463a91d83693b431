import Foundation

/// A saved studio session: versioned JSON around the settings, written atomically.
/// Version 2 adds bookmarks, recorded sweeps, the undo/redo history and the faces'
/// embeddings; version 1 files still load (the new parts start empty).
public struct SessionFile: Codable, Sendable, Equatable {
    public static let currentVersion = 2
    public var version: Int
    public var settings: StudioSettings
    public var bookmarks: [Bookmark]
    public var sweeps: [SessionSweep]
    /// Earlier settings, most recent last, and the ones undo stepped back from.
    public var undo: [StudioSettings]
    public var redo: [StudioSettings]
    /// The embedding of every face image the session names, by path, with the face encoder that
    /// made it: the face survives its image file moving or going. An embedding whose encoder is
    /// not the model's does not stand in for its image.
    public var faces: [String: RecordedFace]

    enum CodingKeys: String, CodingKey {
        case version, settings, bookmarks, sweeps, undo, redo
        /// The file keeps embeddings and encoders in two maps by path, as version 2 first wrote them.
        case faceEmbeddings, faceEmbeddingEncoders
    }

    public init(settings: StudioSettings, bookmarks: [Bookmark] = [], sweeps: [SessionSweep] = [],
                undo: [StudioSettings] = [], redo: [StudioSettings] = [], faces: [String: RecordedFace] = [:]) {
        version = Self.currentVersion
        self.settings = settings
        (self.bookmarks, self.sweeps, self.undo, self.redo) = (bookmarks, sweeps, undo, redo)
        self.faces = faces
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        settings = try c.decode(StudioSettings.self, forKey: .settings)
        bookmarks = try c.decodeIfPresent([Bookmark].self, forKey: .bookmarks) ?? []
        sweeps = try c.decodeIfPresent([SessionSweep].self, forKey: .sweeps) ?? []
        undo = try c.decodeIfPresent([StudioSettings].self, forKey: .undo) ?? []
        redo = try c.decodeIfPresent([StudioSettings].self, forKey: .redo) ?? []
        let embeddings = try c.decodeIfPresent([String: [Float]].self, forKey: .faceEmbeddings) ?? [:]
        let encoders = try c.decodeIfPresent([String: String].self, forKey: .faceEmbeddingEncoders) ?? [:]
        faces = embeddings.reduce(into: [:]) { faces, entry in
            faces[entry.key] = RecordedFace(embedding: entry.value, encoder: encoders[entry.key])
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(settings, forKey: .settings)
        try c.encode(bookmarks, forKey: .bookmarks)
        try c.encode(sweeps, forKey: .sweeps)
        try c.encode(undo, forKey: .undo)
        try c.encode(redo, forKey: .redo)
        try c.encode(faces.mapValues(\.embedding), forKey: .faceEmbeddings)
        try c.encode(faces.compactMapValues(\.encoder), forKey: .faceEmbeddingEncoders)
    }

    /// Records what `store` knows of the faces the session names: their embeddings and encoders.
    public mutating func recordFaces(from store: FaceEmbeddingStore) {
        faces = store.recorded(for: facePaths)
    }

    /// The session at `url`, with the keys of the file that loading it ignored; the file is read once.
    public static func open(_ url: URL) throws -> OpenedSessionFile {
        guard FileManager.default.fileExists(atPath: url.path) else { throw SessionFileError.missing(path: url.path) }
        let bytes = try ConfigFile.contents(of: url)
        let (session, tree) = try ConfigFile.decodeKeepingTree(SessionFile.self, bytes: bytes, path: url.path)
        guard session.version <= currentVersion else {
            throw SessionFileError.newerVersion(path: url.path, version: session.version)
        }
        return OpenedSessionFile(session: session.resolvingFacePaths(against: url.deletingLastPathComponent()),
                                 ignoredKeys: ignoredKeys(in: tree, decodedAs: session), path: url.path)
    }

    public func save(to url: URL) throws {
        try PrettyJSONFile.write(relativizingFacePaths(to: url.deletingLastPathComponent()), to: url)
    }
}

/// Settings a user marked to come back to.
public struct Bookmark: Codable, Sendable, Equatable {
    public var name: String
    public var settings: StudioSettings

    public init(name: String, settings: StudioSettings) {
        (self.name, self.settings) = (name, settings)
    }
}

/// A sweep as a session records it: the parameter, its range and frame count, over `base`.
public struct SessionSweep: Codable, Sendable, Equatable {
    public var parameter: SweepParameter
    public var from: Float
    public var to: Float
    public var frames: Int
    public var base: StudioSettings

    public init(_ sweep: Sweep, base: StudioSettings) {
        (parameter, from, to, frames, self.base) = (sweep.parameter, sweep.from, sweep.to, sweep.frames, base)
    }

    public var sweep: Sweep { Sweep(parameter: parameter, from: from, to: to, frames: frames) }
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
