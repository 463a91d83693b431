/// diffusers' ResnetBlock2D (norm1 and norm2 carry the SiLU that follows them):
/// h = conv1(SiLU(norm1(x))) + time_emb_proj(SiLU(temb)); out = shortcut(x) + conv2(SiLU(norm2(h))).
/// The 1x1 `conv_shortcut` exists only when the channel count changes; the
/// VAE's blocks have no time embedding.
public final class ResnetBlock2D: ParameterVisitable {
    public let norm1: GroupNorm
    public let conv1: Conv2d
    public let timeEmbeddingProjection: Linear?
    public let norm2: GroupNorm
    public let conv2: Conv2d
    public let convShortcut: Conv2d?
    private let actTime = SiLU()

    public init(inChannels: Int, outChannels: Int, timeEmbeddingChannels: Int?, groups: Int, eps: Float,
                generator: inout SeededGenerator) {
        norm1 = GroupNorm(groups: groups, channels: inChannels, eps: eps, fusedSiLU: true)
        conv1 = Conv2d(inChannels, outChannels, kernel: 3, padding: 1, generator: &generator)
        timeEmbeddingProjection = timeEmbeddingChannels.map { Linear($0, outChannels, generator: &generator) }
        norm2 = GroupNorm(groups: groups, channels: outChannels, eps: eps, fusedSiLU: true)
        conv2 = Conv2d(outChannels, outChannels, kernel: 3, padding: 1, generator: &generator)
        convShortcut = inChannels == outChannels ? nil : Conv2d(inChannels, outChannels, kernel: 1, generator: &generator)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(norm1, as: "norm1", visit)
        PoseEngine.visit(conv1, as: "conv1", visit)
        PoseEngine.visit(timeEmbeddingProjection, as: "time_emb_proj", visit)
        PoseEngine.visit(norm2, as: "norm2", visit)
        PoseEngine.visit(conv2, as: "conv2", visit)
        PoseEngine.visit(convShortcut, as: "conv_shortcut", visit)
    }

    public func forward(_ x: Tensor, timeEmbedding: Tensor?) -> Tensor {
        var h = conv1.forward(norm1.forward(x))
        if let projection = timeEmbeddingProjection, let timeEmbedding {
            let t = projection.forward(actTime.forward(timeEmbedding))
            Self.addPerChannel(t, to: &h)
        }
        var out = conv2.forward(norm2.forward(h))
        out.add(convShortcut?.forward(x) ?? x)
        return out
    }

    /// Returns dL/dx; adds dL/dtemb into `timeEmbeddingGradient` when there is a time embedding.
    public func backward(_ gradOutput: Tensor, timeEmbeddingGradient: inout Tensor?) -> Tensor {
        let dh = norm2.backward(conv2.backward(gradOutput))
        if let projection = timeEmbeddingProjection {
            let dt = actTime.backward(projection.backward(Self.sumPerChannel(dh)))
            if timeEmbeddingGradient == nil {
                timeEmbeddingGradient = dt
            } else {
                timeEmbeddingGradient?.add(dt)
            }
        }
        var dx = norm1.backward(conv1.backward(dh))
        dx.add(convShortcut?.backward(gradOutput) ?? gradOutput)
        return dx
    }

    /// h[n, c, :, :] += t[n, c]
    static func addPerChannel(_ t: Tensor, to h: inout Tensor) {
        let (batch, channels) = (h.shape[0], h.shape[1])
        let plane = h.count / (batch * channels)
        t.withPointer { tp in
            h.withMutablePointer { hp in
                for nc in 0..<(batch * channels) {
                    let v = tp[nc], row = hp + nc * plane
                    for i in 0..<plane { row[i] += v }
                }
            }
        }
    }

    /// [N, C, H, W] -> [N, C], summing each plane.
    static func sumPerChannel(_ h: Tensor) -> Tensor {
        let (batch, channels) = (h.shape[0], h.shape[1])
        let plane = h.count / (batch * channels)
        var out = Tensor(zeros: [batch, channels])
        h.withPointer { hp in
            for nc in 0..<(batch * channels) {
                var s: Float = 0
                for i in 0..<plane { s += hp[nc * plane + i] }
                out.scalars[nc] = s
            }
        }
        return out
    }
}
