import AtomicFiles
import Foundation

/// Identity embeddings are computed once per run folder and reused on resume. The file records
/// what made it (world seed, identity count, views, the encoder's image size and a fingerprint
/// of its weights), and is computed afresh when any of these differ: a face encoder retrained
/// into the same runs folder must not hand its predecessor's embeddings to the next UNet.
public enum IdentityEmbeddingCache {
    public static func load(at url: URL, dataset: SynthDataset, encoder: FaceEncoder, views: Int,
                            announce: (String) -> Void = { _ in }) throws -> IdentityEmbeddings {
        let provenance = self.provenance(dataset: dataset, encoder: encoder, views: views)
        if let archive = try? SafeTensors.read(url.path), archive.metadata == provenance,
           let t = try? archive.tensor(named: "embeddings"), t.rank == 2, t.shape[0] == dataset.identityCount {
            let d = t.shape[1]
            return IdentityEmbeddings(vectors: (0..<t.shape[0]).map { Array(t.scalars[($0 * d)..<(($0 + 1) * d)]) })
        }
        announce("embedding \(dataset.identityCount) identities x \(views) views...")
        let faces = IdentityEmbeddings.compute(dataset: dataset, encoder: encoder, views: views)
        try FolderMaker.make(url.deletingLastPathComponent())
        try SafeTensors.write([("embeddings", faces.tensor)], to: url.path, metadata: provenance)
        return faces
    }

    /// What the cached embeddings depend on, as the file's metadata.
    static func provenance(dataset: SynthDataset, encoder: FaceEncoder, views: Int) -> [String: String] {
        ["world_seed": String(dataset.seed), "identities": String(dataset.identityCount), "views": String(views),
         "image_size": String(encoder.config.imageSize), "face_encoder": encoder.weightsFingerprint]
    }
}
