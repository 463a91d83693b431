import Foundation
import PoseEngine

/// Reads what a user types for a face: nothing or "none" for no face, a number or
/// "seed N" for a random face, otherwise image paths separated by commas (several
/// pictures of one face are averaged). Paths are made absolute against `folder` (the working
/// directory, where Tab completes them): a session keeps absolute paths in memory and writes
/// them relative to its own folder, so a path left relative to the working directory would be
/// read against the wrong folder when the session is opened again.
public enum FaceEntry {
    public static func parse(_ text: String,
                             relativeTo folder: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> FaceSource {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.lowercased() == "none" { return .none }
        let words = trimmed.lowercased().split(separator: " ")
        if words.count == 2, words[0] == "seed", let seed = UInt64(words[1]) { return .random(seed: seed) }
        if let seed = UInt64(trimmed) { return .random(seed: seed) }
        let paths = trimmed.split(separator: ",").map {
            NSString(string: $0.trimmingCharacters(in: .whitespaces)).expandingTildeInPath
        }
        return .images(paths: paths.filter { !$0.isEmpty }.map { FaceSource.absolutePath($0, against: folder) })
    }

    /// The first of `face`'s image paths with no file there and no embedding `store` recorded
    /// for it (a session's record stands in for an image that moved), if any.
    public static func missingImage(in face: FaceSource, store: FaceEmbeddingStore) -> String? {
        guard case .images(let paths) = face else { return nil }
        return paths.first { path in
            var isFolder: ObjCBool = false
            let isFile = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            return !isFile && store[path] == nil
        }
    }

    /// The text that stands for `face` when the prompt line opens.
    public static func text(_ face: FaceSource) -> String {
        switch face {
        case .none: return ""
        case .random(let seed): return "seed \(seed)"
        case .images(let paths): return paths.joined(separator: ", ")
        }
    }
}
