/// The conditioning of one submit, computed once: the branch plan, the UNet
/// contexts of its rows, and the face embedding they came from.
public struct PreparedConditioning: Sendable {
    public var plan: BranchPlan
    /// [rows, L, D], one row per planned branch.
    public var contexts: Tensor
    /// The most conditioned branch alone, for the steps above the settings' `cfgFrom`.
    public var conditionalPlan: BranchPlan
    /// [1, L, D]: the context of `conditionalPlan`'s one row.
    public var conditionalContexts: Tensor
    /// The unit face embedding, nil without a face.
    public var faceEmbedding: [Float]?

    /// The branches a step at `timestep` runs, and their contexts.
    public func branches(atTimestep timestep: Int, cfgFrom: Int) -> (plan: BranchPlan, contexts: Tensor) {
        timestep > cfgFrom ? (conditionalPlan, conditionalContexts) : (plan, contexts)
    }
}

/// Reads a face image file into pixels (the command line passes ImageFiles' loader).
public typealias FaceImageLoader = @Sendable (String) throws -> SynthImage
