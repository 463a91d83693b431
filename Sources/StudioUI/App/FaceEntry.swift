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

    /// Why `face` cannot be used, if it cannot: the error of the first of its image paths that
    /// `load` cannot read as a picture (missing, a folder, not an image, too large) and that has
    /// no embedding `store` recorded for it (a session's record stands in for an image that moved).
    public static func unusableImage(in face: FaceSource, store: FaceEmbeddingStore, load: FaceImageLoader) -> String? {
        guard case .images(let paths) = face else { return nil }
        for path in paths where store[path] == nil {
            do { _ = try load(path) } catch { return "\(error)" }
        }
        return nil
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
