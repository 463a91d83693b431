/// A dataset sample before rendering: its scene, which identity of the pool it shows, its prompt.
public struct SynthSampleSpec: Sendable, Equatable {
    public var index: Int
    public var identityIndex: Int
    public var scene: SynthScene
    public var prompt: String
}

/// A rendered dataset sample: the picture and everything known about it.
public struct SynthSample: Sendable, Equatable {
    public var spec: SynthSampleSpec
    public var image: SynthImage

    public var pose: HeadPose { spec.scene.pose }
    public var prompt: String { spec.prompt }
}
