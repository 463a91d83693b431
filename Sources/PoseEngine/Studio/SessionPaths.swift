import Foundation

/// Face image paths in a session file are relative to the file's folder, so a session and its
/// faces move together (Examples/ works from any working directory). In memory they are
/// absolute; saving writes paths inside the session's folder relative again.
extension SessionFile {
    func resolvingFacePaths(against folder: URL) -> SessionFile {
        mappingFacePaths { FaceSource.absolutePath($0, against: folder) }
    }

    func relativizingFacePaths(to folder: URL) -> SessionFile {
        let prefix = folder.standardizedFileURL.path + "/"
        return mappingFacePaths { path in path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path }
    }

    private func mappingFacePaths(_ transform: (String) -> String) -> SessionFile {
        var copy = self
        copy.settings = settings.mappingFacePaths(transform)
        copy.bookmarks = bookmarks.map { Bookmark(name: $0.name, settings: $0.settings.mappingFacePaths(transform)) }
        copy.sweeps = sweeps.map { var s = $0; s.base = s.base.mappingFacePaths(transform); return s }
        copy.undo = undo.map { $0.mappingFacePaths(transform) }
        copy.redo = redo.map { $0.mappingFacePaths(transform) }
        copy.faces = [:]
        // Two paths can become one ("ana.png" and "./ana.png"): the record that outranks the
        // other keeps the path (`RecordedFace.replaces`), and ties go to the first path in order
        // (walked last to first, so the first is written last).
        for (path, face) in faces.sorted(by: { $0.key > $1.key }) {
            let key = transform(path)
            if face.replaces(copy.faces[key]) { copy.faces[key] = face }
        }
        return copy
    }
}

extension SessionFile {
    /// Every face image path the session names, in its settings, bookmarks, sweeps and history.
    public var facePaths: Set<String> {
        let all = [settings] + bookmarks.map(\.settings) + sweeps.map(\.base) + undo + redo
        return Set(all.flatMap { [$0.face, $0.faceB] }.flatMap { source -> [String] in
            if case .images(let paths) = source { return paths }
            return []
        })
    }
}

extension StudioSettings {
    func mappingFacePaths(_ transform: (String) -> String) -> StudioSettings {
        var copy = self
        copy.face = face.mappingPaths(transform)
        copy.faceB = faceB.mappingPaths(transform)
        return copy
    }
}

extension FaceSource {
    /// A face image path as the studio keeps it in memory: absolute, a relative one read against `folder`.
    public static func absolutePath(_ path: String, against folder: URL) -> String {
        path.hasPrefix("/") ? path : folder.appendingPathComponent(path).standardizedFileURL.path
    }

    func mappingPaths(_ transform: (String) -> String) -> FaceSource {
        guard case .images(let paths) = self else { return self }
        return .images(paths: paths.map(transform))
    }
}
