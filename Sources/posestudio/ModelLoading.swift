import Foundation
import PoseEngine

/// The model folder at `path`, loaded for a headless command: what loading assumed about the
/// folder goes to standard error, so a picture made on an assumption does not pass unremarked.
func loadStudioModels(_ path: String) throws -> StudioModels {
    let models = try StudioModels.load(folder: URL(fileURLWithPath: path))
    for note in models.notes {
        FileHandle.standardError.write(Data("posestudio: note: \(note)\n".utf8))
    }
    return models
}
