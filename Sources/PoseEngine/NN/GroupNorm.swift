import Foundation

/// Group normalisation over [N, C, spatial...] with a per-channel affine,
/// optionally followed by SiLU in the same pass: diffusers' resnets always
/// apply SiLU right after their GroupNorms, and fusing saves a full sweep
/// over the feature map and its allocation.
///
/// Groups are independent, so both passes split across cores by group.
public final class GroupNorm: Layer {
    public let groups: Int
    public let channels: Int
    public let eps: Float
    public let appliesSiLU: Bool
    public let weight: Parameter
    public let bias: Parameter
    private var normalized: Tensor?
    private var preActivation: Tensor?
    private var inverseStd: [Float] = []

    public init(groups: Int, channels: Int, eps: Float, fusedSiLU: Bool = false) {
        precondition(channels % groups == 0, "GroupNorm: \(channels) channels in \(groups) groups")
        appliesSiLU = fusedSiLU
        self.groups = groups
        self.channels = channels
        self.eps = eps
        weight = Parameter(Tensor(shape: [channels], repeating: 1))
        bias = Parameter(Tensor(zeros: [channels]))
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        visit("weight", weight)
        visit("bias", bias)
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 2 && x.shape[1] == channels, "GroupNorm(\(channels)) got \(x.shape)")
        let batch = x.shape[0]
        let spatial = x.count / (batch * channels)
        let perGroup = channels / groups
        let groupSize = perGroup * spatial
        let (groups, eps, silu) = (groups, eps, appliesSiLU)
        var xhat = Tensor(uninitialized: x.shape)
        var y = Tensor(uninitialized: x.shape)
        var activated = silu ? Tensor(uninitialized: x.shape) : Tensor(zeros: [0])
        var rstd = [Float](repeating: 0, count: batch * groups)
        x.withPointer { xp in
            xhat.withMutablePointer { hp in
                y.withMutablePointer { yp in
                    activated.withMutablePointer { ap in
                        weight.value.withPointer { gp in
                            bias.value.withPointer { bp in
                                rstd.withUnsafeMutableBufferPointer { rp in
                                    Parallel.forEachChunk(batch * groups, work: x.count * 4) { slice in
                                        for ng in slice {
                                            let base = ng * groupSize
                                            let mean = VectorMath.sum(xp, base..<(base + groupSize)) / Float(groupSize)
                                            let sq = VectorMath.squaredDeviations(xp, base..<(base + groupSize), mean: mean)
                                            let inv = 1 / (sq / Float(groupSize) + eps).squareRoot()
                                            rp[ng] = inv
                                            let firstChannel = (ng % groups) * perGroup
                                            for c in 0..<perGroup {
                                                let g = gp[firstChannel + c], b = bp[firstChannel + c]
                                                let start = base + c * spatial
                                                for i in start..<(start + spatial) {
                                                    let h = (xp[i] - mean) * inv
                                                    hp[i] = h
                                                    yp[i] = h * g + b
                                                }
                                                if silu {
                                                    for i in start..<(start + spatial) { ap[i] = FastMath.silu(yp[i]) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        normalized = xhat
        inverseStd = rstd
        guard silu else { return y }
        preActivation = y
        return activated
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let xhat = requireCached(normalized, "GroupNorm")
        let gradOutput = appliesSiLU ? SiLU.backward(gradOutput, input: requireCached(preActivation, "GroupNorm")) : gradOutput
        let batch = xhat.shape[0]
        let spatial = xhat.count / (batch * channels)
        let perGroup = channels / groups
        let groupSize = perGroup * spatial
        let groups = groups
        var dx = Tensor(uninitialized: xhat.shape)
        let rstd = inverseStd
        // A frozen layer (guidance) keeps its affine gradients as they are; the sums are dx's too.
        let accumulates = weight.requiresGradient
        xhat.withPointer { hp in
            gradOutput.withPointer { dyp in
                dx.withMutablePointer { dxp in
                    weight.value.withPointer { gp in
                        weight.gradient.withMutablePointer { dgp in
                            bias.gradient.withMutablePointer { dbp in
                                // By group: a group's channels (and their affine gradients) belong to it alone.
                                Parallel.forEachChunk(groups, work: xhat.count * 6) { slice in
                                    for group in slice {
                                        for n in 0..<batch {
                                            let ng = n * groups + group
                                            let base = ng * groupSize
                                            let firstChannel = group * perGroup
                                            // dxhat = dy * gamma; dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
                                            var sumD: Float = 0, sumDH: Float = 0
                                            for c in 0..<perGroup {
                                                let g = gp[firstChannel + c]
                                                let start = base + c * spatial
                                                let dg = VectorMath.dot(dyp, hp, start..<(start + spatial))
                                                let db = VectorMath.sum(dyp, start..<(start + spatial))
                                                if accumulates {
                                                    dgp[firstChannel + c] += dg
                                                    dbp[firstChannel + c] += db
                                                }
                                                sumD += db * g
                                                sumDH += dg * g
                                            }
                                            let meanD = sumD / Float(groupSize), meanDH = sumDH / Float(groupSize)
                                            let inv = rstd[ng]
                                            for c in 0..<perGroup {
                                                let g = gp[firstChannel + c]
                                                let start = base + c * spatial
                                                for i in start..<(start + spatial) {
                                                    dxp[i] = inv * (dyp[i] * g - meanD - hp[i] * meanDH)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx
    }
}
