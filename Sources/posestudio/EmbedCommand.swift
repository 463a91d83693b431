import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio embed IMAGE...`: one face embedding from images of one face,
/// averaged and re-normalised as Face0 does.
struct EmbedCommand: ParsableCommand, ModelChoice {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print (or save) the face embedding of one face from one or more images of it.",
        discussion: """
            Each image is resampled to the face encoder's 64x64 input and embedded; the unit embeddings are averaged \
            and re-normalised. Standard output gets one JSON object: {"dimension", "embedding", "images"}. \
            --out writes a safetensors file with one F32 tensor "embedding" of shape [dimension] and the image paths \
            and model folder in its metadata, written atomically.
            """)

    @Argument(help: "PNG, JPEG, GIF or BMP images of one face.")
    var images: [String]

    @Option(help: "Also write the embedding to this safetensors file.")
    var out: String?

    @Option(help: ArgumentHelp("Model folder holding face_encoder/.", discussion: defaultModelHelp))
    var model: String?

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("name at least one image") }
    }

    func run() throws {
        if let out { try failing("embed") { try OutputFile.checkWritable(out, fileType: "safetensors") } }
        let folder = ModelFolder(modelPath)
        let encoder = try failing("embed") { try folder.load(FaceEncoder.self, "face_encoder") }
        encoder.setRequiresGradient(false)
        let embeddings = try images.map { path in
            let picture = try failing("embed") { try ImageInputFile.load(path) }
            return encoder.embedding(of: picture)
        }
        let embedding = FaceEmbedding.average(embeddings)
        if let out {
            let metadata = ["images": images.joined(separator: "\n"), "model": folder.componentURL("face_encoder").path]
            try failing("embed") {
                try SafeTensors.write([("embedding", Tensor(shape: [embedding.count], scalars: embedding))], to: out, metadata: metadata)
            }
        }
        print(try Self.json(embedding, images: images))
    }

    static func json(_ embedding: [Float], images: [String]) throws -> String {
        struct Document: Encodable {
            let dimension: Int
            let embedding: [Float]
            let images: [String]
        }
        return try SortedJSON.string(Document(dimension: embedding.count, embedding: embedding, images: images), pretty: false)
    }
}
