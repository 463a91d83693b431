import Foundation

/// diffusers' `Attention`: multi-head scaled dot-product attention with
/// to_q / to_k / to_v projections and an output projection `to_out.0`.
///
/// Inputs are token sequences [N, L, C]. Self-attention when no context is
/// given. Heads are column slices of the projected matrices, so every per-head
/// product is a strided GEMM with no copies.
public final class Attention: ParameterVisitable {
    public let heads: Int
    public let headDim: Int
    public let toQ: Linear
    public let toK: Linear
    public let toV: Linear
    public let toOut: Linear
    public let names: AttentionNames

    private struct Cache {
        let q, k, v: Tensor
        let probabilities: Tensor      // [N, heads, Lq, Lk]
        let isSelfAttention: Bool
    }
    private var cache: Cache?

    public init(queryDim: Int, contextDim: Int? = nil, heads: Int, headDim: Int, qkvBias: Bool = false,
                names: AttentionNames = .diffusers, generator: inout SeededGenerator) {
        let inner = heads * headDim
        self.names = names
        self.heads = heads
        self.headDim = headDim
        toQ = Linear(queryDim, inner, bias: qkvBias, generator: &generator)
        toK = Linear(contextDim ?? queryDim, inner, bias: qkvBias, generator: &generator)
        toV = Linear(contextDim ?? queryDim, inner, bias: qkvBias, generator: &generator)
        toOut = Linear(inner, queryDim, generator: &generator)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(toQ, as: names.query, visit)
        PoseEngine.visit(toK, as: names.key, visit)
        PoseEngine.visit(toV, as: names.value, visit)
        PoseEngine.visit(toOut, as: names.output, visit)
    }

    public func forward(_ x: Tensor, context: Tensor? = nil) -> Tensor {
        let source = context ?? x
        let (batch, lq, lk) = (x.shape[0], x.shape[1], source.shape[1])
        let inner = heads * headDim
        let q = toQ.forward(x), k = toK.forward(source), v = toV.forward(source)
        let scale = 1 / Float(headDim).squareRoot()
        var probabilities = Tensor(uninitialized: [batch, heads, lq, lk])
        var o = Tensor(uninitialized: [batch, lq, inner])
        q.withPointer { qp in
            k.withPointer { kp in
                v.withPointer { vp in
                    probabilities.withMutablePointer { pp in
                        o.withMutablePointer { op in
                            for n in 0..<batch {
                                for h in 0..<heads {
                                    let p = pp + (n * heads + h) * lq * lk
                                    let qh = qp + n * lq * inner + h * headDim
                                    let kh = kp + n * lk * inner + h * headDim
                                    let vh = vp + n * lk * inner + h * headDim
                                    BLAS.gemm(transB: true, m: lq, n: lk, k: headDim, alpha: scale,
                                              a: qh, lda: inner, b: kh, ldb: inner, c: p, ldc: lk)
                                    Self.softmaxRows(p, rows: lq, columns: lk)
                                    BLAS.gemm(m: lq, n: headDim, k: lk, a: p, lda: lk, b: vh, ldb: inner,
                                              c: op + n * lq * inner + h * headDim, ldc: inner)
                                }
                            }
                        }
                    }
                }
            }
        }
        cache = Cache(q: q, k: k, v: v, probabilities: probabilities, isSelfAttention: context == nil)
        return toOut.forward(o)
    }

    /// Returns dL/dx and, for cross-attention, dL/dcontext (nil for self-attention,
    /// whose context gradient is already folded into dL/dx).
    public func backward(_ gradOutput: Tensor) -> (input: Tensor, context: Tensor?) {
        let c = requireCached(cache, "Attention")
        let (batch, lq) = (c.q.shape[0], c.q.shape[1])
        let lk = c.k.shape[1]
        let inner = heads * headDim
        let scale = 1 / Float(headDim).squareRoot()
        let dO = toOut.backward(gradOutput)
        // Every head writes its own column block of these with beta = 0.
        var dQ = Tensor(uninitialized: c.q.shape), dK = Tensor(uninitialized: c.k.shape), dV = Tensor(uninitialized: c.v.shape)
        var dS = [Float](repeating: 0, count: lq * lk)
        c.q.withPointer { qp in
            c.k.withPointer { kp in
                c.v.withPointer { vp in
                    c.probabilities.withPointer { pp in
                        dO.withPointer { dop in
                            dQ.withMutablePointer { dqp in
                                dK.withMutablePointer { dkp in
                                    dV.withMutablePointer { dvp in
                                        dS.withUnsafeMutableBufferPointer { dsb in
                                            let ds = dsb.baseAddress!
                                            for n in 0..<batch {
                                                for h in 0..<heads {
                                                    let p = pp + (n * heads + h) * lq * lk
                                                    let qOff = n * lq * inner + h * headDim
                                                    let kOff = n * lk * inner + h * headDim
                                                    // dV = P^T dO ; dP = dO V^T
                                                    BLAS.gemm(transA: true, m: lk, n: headDim, k: lq, a: p, lda: lk,
                                                              b: dop + qOff, ldb: inner, c: dvp + kOff, ldc: inner)
                                                    BLAS.gemm(transB: true, m: lq, n: lk, k: headDim, a: dop + qOff, lda: inner,
                                                              b: vp + kOff, ldb: inner, c: ds, ldc: lk)
                                                    // dS = P * (dP - rowsum(dP * P))
                                                    for r in 0..<lq {
                                                        let pr = p + r * lk, dr = ds + r * lk
                                                        var dot: Float = 0
                                                        for j in 0..<lk { dot += pr[j] * dr[j] }
                                                        for j in 0..<lk { dr[j] = pr[j] * (dr[j] - dot) }
                                                    }
                                                    BLAS.gemm(m: lq, n: headDim, k: lk, alpha: scale, a: ds, lda: lk,
                                                              b: kp + kOff, ldb: inner, c: dqp + qOff, ldc: inner)
                                                    BLAS.gemm(transA: true, m: lk, n: headDim, k: lq, alpha: scale, a: ds, lda: lk,
                                                              b: qp + qOff, ldb: inner, c: dkp + kOff, ldc: inner)
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
        var dx = toQ.backward(dQ)
        var dContext = toK.backward(dK)
        dContext.add(toV.backward(dV))
        if c.isSelfAttention {
            dx.add(dContext)
            return (dx, nil)
        }
        return (dx, dContext)
    }

    static func softmaxRows(_ p: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        for r in 0..<rows {
            let row = p + r * columns
            var m = -Float.infinity
            for j in 0..<columns { m = max(m, row[j]) }
            for j in 0..<columns { row[j] = FastMath.exp(row[j] - m) }
            let s = VectorMath.sum(row, 0..<columns)
            let inv = 1 / s
            for j in 0..<columns { row[j] *= inv }
        }
    }
}

/// What an attention layer's projections are called in a checkpoint.
public struct AttentionNames: Sendable {
    public var query, key, value, output: String

    /// diffusers' `Attention`.
    public static let diffusers = AttentionNames(query: "to_q", key: "to_k", value: "to_v", output: "to_out.0")
    /// transformers' CLIP attention.
    public static let clip = AttentionNames(query: "q_proj", key: "k_proj", value: "v_proj", output: "out_proj")
}
