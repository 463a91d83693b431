import Foundation
import PoseEngine

/// A complete model folder with tiny random weights (16x16 pictures), written once per machine
/// into the temporary folder and reused: the studio runs on it in milliseconds per step.
enum TinyModelFolder {
    static let configs = StudioModelConfigs.miniature

    /// The folder, made on first use (into a scratch folder renamed into place, so parallel
    /// runs never see half a model).
    static func url() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-studioui-tiny-model-v1")
        if ModelInventory(folder: folder).missing.isEmpty { return folder }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-tiny-\(UUID().uuidString)")
        try StudioModels.random(configs, seed: 11).save(to: scratch)
        do {
            try FileManager.default.moveItem(at: scratch, to: folder)
        } catch {
            // Another run put it there first: use theirs.
            try? FileManager.default.removeItem(at: scratch)
            guard ModelInventory(folder: folder).missing.isEmpty else { throw error }
        }
        return folder
    }
}
