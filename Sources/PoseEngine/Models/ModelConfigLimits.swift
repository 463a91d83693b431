/// Bounds a config must keep, so that a typo (a digit too many) is refused by name instead of
/// asking for hundreds of gigabytes when the model is built.
public enum ModelConfigLimits {
    /// Channels of any block; Stable Diffusion's widest has 1280. A 3x3 convolution this wide
    /// already holds 2.4 GB of weights.
    public static let maximumChannels = 8192
    /// Sides of the pictures and latents a config asks for; SDXL's pictures are 1024 a side.
    public static let maximumSide = 2048

    /// Each of `widths` past `maximumChannels` and each of `sides` past `maximumSide`, named by
    /// its key in config.json.
    /// A side of 0 or less is named too: the messages it led to spoke of other components' sizes.
    static func problems(widths: [(key: String, value: Int)], sides: [(key: String, value: Int)] = []) -> [String] {
        widths.filter { $0.value > maximumChannels }.map { "\($0.key) \($0.value) is more than \(maximumChannels)" }
            + sides.filter { $0.value > maximumSide }.map { "\($0.key) \($0.value) is more than \(maximumSide)" }
            + sides.filter { $0.value <= 0 }.map { "\($0.key) \($0.value) must be positive" }
    }

    /// `block_out_channels` as keyed widths, one per block.
    static func blockWidths(_ channels: [Int]) -> [(key: String, value: Int)] {
        channels.map { ("block_out_channels", $0) }
    }
}
