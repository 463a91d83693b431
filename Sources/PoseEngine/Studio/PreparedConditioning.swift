/// The conditioning of one submit, computed once: the branch plan, the UNet
/// contexts of its rows, and the face embedding they came from.
public struct PreparedConditioning: Sendable {
    public var plan: BranchPlan
    /// [rows, L, D], one row per planned branch.
    public var contexts: Tensor
    /// The unit face embedding, nil without a face.
    public var faceEmbedding: [Float]?
}

/// Reads a face image file into pixels (the command line passes ImageFiles' loader).
public typealias FaceImageLoader = @Sendable (String) throws -> SynthImage
