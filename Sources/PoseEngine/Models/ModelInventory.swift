import Foundation

/// Which components of a PoseStudio model folder are present, so a missing
/// model is reported by name instead of failing somewhere inside a load.
public struct ModelInventory: Sendable {
    /// The components of a complete PoseStudio model, each a diffusers-style folder.
    public static let components = ["unet", "vae", "text_encoder", "face_encoder", "face_projector", "pose_head"]

    public let folder: URL
    public let missing: [String]

    public init(folder: URL) {
        self.folder = folder
        let model = ModelFolder(folder.path)
        missing = Self.components.filter { !model.has($0) }
    }
}
