/// y = x W^T + b over the last dimension, with PyTorch's [out, in] weight layout.
public final class Linear: Layer {
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter?
    private var input: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, generator: inout SeededGenerator) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Parameter(Initializer.uniformFanIn([outFeatures, inFeatures], fanIn: inFeatures, generator: &generator))
        self.bias = bias ? Parameter(Initializer.uniformFanIn([outFeatures], fanIn: inFeatures, generator: &generator)) : nil
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        visit("weight", weight)
        if let bias { visit("bias", bias) }
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.last == inFeatures, "Linear(\(inFeatures)->\(outFeatures)) got \(x.shape)")
        input = x
        let rows = x.count / inFeatures
        var outShape = x.shape
        outShape[outShape.count - 1] = outFeatures
        var y = Tensor(uninitialized: outShape)
        let (n, k) = (outFeatures, inFeatures)
        y.withMutablePointer { yp in
            if let bias {
                bias.value.withPointer { bp in
                    for r in 0..<rows { (yp + r * n).update(from: bp, count: n) }
                }
            }
            x.withPointer { xp in
                weight.value.withPointer { wp in
                    BLAS.gemm(transB: true, m: rows, n: n, k: k, a: xp, lda: k, b: wp, ldb: k,
                              beta: bias == nil ? 0 : 1, c: yp, ldc: n)
                }
            }
        }
        return y
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let x = requireCached(input, "Linear")
        let rows = x.count / inFeatures
        let (n, k) = (outFeatures, inFeatures)
        if weight.requiresGradient { accumulateParameterGradients(gradOutput, input: x) }
        var dx = Tensor(uninitialized: x.shape)
        dx.withMutablePointer { dxp in
            gradOutput.withPointer { dyp in
                weight.value.withPointer { wp in
                    BLAS.gemm(m: rows, n: k, k: n, a: dyp, lda: n, b: wp, ldb: k, c: dxp, ldc: k)
                }
            }
        }
        return dx
    }

    private func accumulateParameterGradients(_ gradOutput: Tensor, input x: Tensor) {
        let rows = x.count / inFeatures
        let (n, k) = (outFeatures, inFeatures)
        gradOutput.withPointer { dyp in
            x.withPointer { xp in
                weight.gradient.withMutablePointer { dwp in
                    BLAS.gemm(transA: true, m: n, n: k, k: rows, a: dyp, lda: n, b: xp, ldb: k, beta: 1, c: dwp, ldc: k)
                }
            }
            bias?.gradient.withMutablePointer { dbp in
                for r in 0..<rows {
                    let row = dyp + r * n
                    for j in 0..<n { dbp[j] += row[j] }
                }
            }
        }
    }
}
