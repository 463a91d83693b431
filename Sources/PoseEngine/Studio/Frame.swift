/// One picture of a submit's progress.
public struct Frame: Sendable {
    public enum Phase: String, Sendable {
        /// The few-step first picture.
        case preview
        /// The full-step render from noise.
        case refine
        /// The full-step render resumed from a cached intermediate latent.
        case resume
    }

    public var phase: Phase
    /// Steps done in this phase (1...totalSteps).
    public var step: Int
    public var totalSteps: Int
    /// The latent->RGB map of the predicted clean latent between steps; the VAE decode at a phase's end.
    public var image: SynthImage
    /// The pose head's reading of the image being generated.
    public var headEstimate: PoseValues
    public var msPerStep: Double
    /// The last frame of the submit: the full-step image, decoded by the VAE.
    public var isFinal: Bool
    /// The trajectory resumed from the previous one's cached latent instead of from noise.
    public var restartedFromCache: Bool
}
