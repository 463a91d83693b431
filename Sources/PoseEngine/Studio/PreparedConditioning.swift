/// The conditioning of one submit, computed once: the branch plan, the UNet
/// contexts of its rows, and the face embedding they came from.
public struct PreparedConditioning: Sendable {
    public var plan: BranchPlan
    /// [rows, L, D], one row per planned branch.
    public var contexts: Tensor
    /// The branches of the steps above the settings' `cfgFrom` (`StudioSettings.earlyCFG`).
    public var earlyPlan: BranchPlan
    /// [rows, L, D]: the contexts of `earlyPlan`'s rows.
    public var earlyContexts: Tensor
    /// The unit face embedding, nil without a face.
    public var faceEmbedding: [Float]?

    /// The branches a step at `timestep` runs, and their contexts.
    public func branches(atTimestep timestep: Int, cfgFrom: Int) -> (plan: BranchPlan, contexts: Tensor) {
        timestep > cfgFrom ? (earlyPlan, earlyContexts) : (plan, contexts)
    }
}

/// Reads a face image file into pixels (the command line passes ImageFiles' loader).
public typealias FaceImageLoader = @Sendable (String) throws -> SynthImage
