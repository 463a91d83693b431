import Foundation

/// Sinusoidal timestep features as diffusers computes them:
/// freq_j = exp(-ln(10000) * j / (half - shift)), features [sin(t f), cos(t f)],
/// swapped to [cos, sin] when flipSinToCos (the UNet's default).
public enum SinusoidalTimesteps {
    public static func features(_ timesteps: [Float], dim: Int, flipSinToCos: Bool = true, freqShift: Float = 0) -> Tensor {
        let half = dim / 2
        // Float32 throughout, as diffusers computes it, so large timesteps agree.
        let logPeriod = Float(log(10000.0))
        var out = Tensor(zeros: [timesteps.count, dim])
        for (n, t) in timesteps.enumerated() {
            for j in 0..<half {
                let freq = expf(-logPeriod * Float(j) / (Float(half) - freqShift))
                let angle = t * freq
                out.scalars[n * dim + j] = flipSinToCos ? cosf(angle) : sinf(angle)
                out.scalars[n * dim + half + j] = flipSinToCos ? sinf(angle) : cosf(angle)
            }
        }
        return out
    }
}

/// diffusers' TimestepEmbedding: linear_1 -> SiLU -> linear_2.
public final class TimestepEmbedding: Layer {
    public let linear1: Linear
    public let activation = SiLU()
    public let linear2: Linear

    public init(_ inChannels: Int, _ embedDim: Int, generator: inout SeededGenerator) {
        linear1 = Linear(inChannels, embedDim, generator: &generator)
        linear2 = Linear(embedDim, embedDim, generator: &generator)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(linear1, as: "linear_1", visit)
        PoseEngine.visit(linear2, as: "linear_2", visit)
    }

    public func forward(_ x: Tensor) -> Tensor { linear2.forward(activation.forward(linear1.forward(x))) }
    public func backward(_ gradOutput: Tensor) -> Tensor {
        linear1.backward(activation.backward(linear2.backward(gradOutput)))
    }
}
