/// One line of labels.jsonl: the picture's file name within the dataset folder, its pose in
/// PoseStudio's units as top-level keys (pitch, yaw, roll, x, y, scale), who is in it, how it
/// is drawn, its prompt and how much the face smiles.
public struct SynthLabel: Sendable, Equatable, Codable {
    public var file: String
    public var pose: HeadPose
    public var identity: IdentityLabel
    public var style: RenderStyle
    public var prompt: String
    public var smile: Float

    /// The identity's index in the dataset's pool (the same person in other pictures shares it),
    /// its parameters, and the same as numbers in [0, 1].
    public struct IdentityLabel: Sendable, Equatable, Codable {
        public var index: Int
        public var parameters: HeadIdentity
        public var features: [Float]
    }

    public init(file: String, sample: SynthSampleSpec) {
        self.file = file
        pose = sample.scene.pose
        identity = IdentityLabel(index: sample.identityIndex, parameters: sample.scene.identity,
                                 features: sample.scene.identity.featureVector)
        style = sample.scene.style
        prompt = sample.prompt
        smile = sample.scene.expression.smile
    }

    private enum CodingKeys: String, CodingKey {
        case file, identity, style, prompt, smile
    }

    /// The pose's keys sit beside the others in one flat object.
    public init(from decoder: any Decoder) throws {
        pose = try HeadPose(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        file = try container.decode(String.self, forKey: .file)
        identity = try container.decode(IdentityLabel.self, forKey: .identity)
        style = try container.decode(RenderStyle.self, forKey: .style)
        prompt = try container.decode(String.self, forKey: .prompt)
        smile = try container.decode(Float.self, forKey: .smile)
    }

    public func encode(to encoder: any Encoder) throws {
        try pose.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(identity, forKey: .identity)
        try container.encode(style, forKey: .style)
        try container.encode(prompt, forKey: .prompt)
        try container.encode(smile, forKey: .smile)
    }
}
