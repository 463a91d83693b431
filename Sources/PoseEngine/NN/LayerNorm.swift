/// Layer normalisation over the last dimension with an element-wise affine.
public final class LayerNorm: Layer {
    public let features: Int
    public let eps: Float
    public let weight: Parameter
    public let bias: Parameter
    private var normalized: Tensor?
    private var inverseStd: [Float] = []

    public init(_ features: Int, eps: Float = 1e-5) {
        self.features = features
        self.eps = eps
        weight = Parameter(Tensor(shape: [features], repeating: 1))
        bias = Parameter(Tensor(zeros: [features]))
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        visit("weight", weight)
        visit("bias", bias)
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.last == features, "LayerNorm(\(features)) got \(x.shape)")
        let rows = x.count / features, d = features
        var xhat = Tensor(uninitialized: x.shape)
        var y = Tensor(uninitialized: x.shape)
        var rstd = [Float](repeating: 0, count: rows)
        x.withPointer { xp in
            xhat.withMutablePointer { hp in
                y.withMutablePointer { yp in
                    weight.value.withPointer { gp in
                        bias.value.withPointer { bp in
                            for r in 0..<rows {
                                let row = xp + r * d
                                let mean = VectorMath.sum(row, 0..<d) / Float(d)
                                let sq = VectorMath.squaredDeviations(row, 0..<d, mean: mean)
                                let inv = 1 / (sq / Float(d) + eps).squareRoot()
                                rstd[r] = inv
                                for j in 0..<d {
                                    let h = (row[j] - mean) * inv
                                    hp[r * d + j] = h
                                    yp[r * d + j] = h * gp[j] + bp[j]
                                }
                            }
                        }
                    }
                }
            }
        }
        normalized = xhat
        inverseStd = rstd
        return y
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let xhat = requireCached(normalized, "LayerNorm")
        let rows = xhat.count / features, d = features
        var dx = Tensor(uninitialized: xhat.shape)
        let rstd = inverseStd
        // A frozen layer (guidance) keeps its affine gradients as they are.
        let accumulates = weight.requiresGradient
        xhat.withPointer { hp in
            gradOutput.withPointer { dyp in
                dx.withMutablePointer { dxp in
                    weight.value.withPointer { gp in
                        weight.gradient.withMutablePointer { dgp in
                            bias.gradient.withMutablePointer { dbp in
                                for r in 0..<rows {
                                    let h = hp + r * d, dy = dyp + r * d
                                    var meanD: Float = 0, meanDH: Float = 0
                                    for j in 0..<d {
                                        if accumulates {
                                            dgp[j] += dy[j] * h[j]
                                            dbp[j] += dy[j]
                                        }
                                        let dxh = dy[j] * gp[j]
                                        meanD += dxh
                                        meanDH += dxh * h[j]
                                    }
                                    meanD /= Float(d)
                                    meanDH /= Float(d)
                                    for j in 0..<d {
                                        dxp[r * d + j] = rstd[r] * (dy[j] * gp[j] - meanD - h[j] * meanDH)
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
