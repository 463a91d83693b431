/// Everything that decides one synthetic picture. Rendering it twice gives the same pixels.
public struct SynthScene: Sendable, Equatable, Codable {
    public var identity: HeadIdentity
    public var expression: Expression
    public var pose: HeadPose
    public var setting: SceneSetting
    public var style: RenderStyle
    /// Seeds the picture's textures: film grain, paper, brush strokes, hair strands.
    public var textureSeed: UInt64

    public init(identity: HeadIdentity, expression: Expression = Expression(), pose: HeadPose = HeadPose(),
                setting: SceneSetting = .studio, style: RenderStyle = .photo, textureSeed: UInt64 = 0) {
        self.identity = identity
        self.expression = expression
        self.pose = pose
        self.setting = setting
        self.style = style
        self.textureSeed = textureSeed
    }
}
