/// Padding on each side of a feature map. diffusers' VAE encoder downsamples
/// with (0, 1, 0, 1), so sides are independent.
public struct Padding2D: Sendable, Equatable {
    public var top, left, bottom, right: Int

    public init(top: Int, left: Int, bottom: Int, right: Int) {
        (self.top, self.left, self.bottom, self.right) = (top, left, bottom, right)
    }

    public static func uniform(_ p: Int) -> Padding2D { Padding2D(top: p, left: p, bottom: p, right: p) }
}

/// 2-D convolution over NCHW tensors, with PyTorch's [out, in, kh, kw] weights.
///
/// The whole batch is unfolded into one column matrix [C*kh*kw, N*Ho*Wo] so a
/// single GEMM does the work: at the small spatial sizes of latent diffusion a
/// per-image GEMM is too thin to keep OpenBLAS busy.
public final class Conv2d: Layer {
    public let inChannels: Int
    public let outChannels: Int
    public let kernel: Int
    public let stride: Int
    public let padding: Padding2D
    public let weight: Parameter
    public let bias: Parameter?
    private var input: Tensor?

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1,
                padding: Padding2D = .uniform(0), bias: Bool = true, generator: inout SeededGenerator) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        let fanIn = inChannels * kernel * kernel
        weight = Parameter(Initializer.uniformFanIn([outChannels, inChannels, kernel, kernel], fanIn: fanIn, generator: &generator))
        self.bias = bias ? Parameter(Initializer.uniformFanIn([outChannels], fanIn: fanIn, generator: &generator)) : nil
    }

    public convenience init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int,
                            generator: inout SeededGenerator) {
        self.init(inChannels, outChannels, kernel: kernel, stride: stride, padding: .uniform(padding), generator: &generator)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        visit("weight", weight)
        if let bias { visit("bias", bias) }
    }

    func geometry(of x: Tensor) -> Im2Col {
        precondition(x.rank == 4 && x.shape[1] == inChannels, "Conv2d(\(inChannels)->\(outChannels)) got \(x.shape)")
        return Im2Col(batch: x.shape[0], channels: inChannels, height: x.shape[2], width: x.shape[3],
                      kernel: kernel, stride: stride, padding: padding)
    }

    public func forward(_ x: Tensor) -> Tensor {
        input = x
        let g = geometry(of: x)
        return g.prefersPerImage ? forwardPerImage(x, g) : forwardBatched(x, g)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let x = requireCached(input, "Conv2d")
        let g = geometry(of: x)
        return g.prefersPerImage ? backwardPerImage(gradOutput, x, g) : backwardBatched(gradOutput, x, g)
    }

    // MARK: Image by image (large planes): outputs are written in NCHW directly.

    private func forwardPerImage(_ x: Tensor, _ g: Im2Col) -> Tensor {
        let plane = g.outputPlane
        var y = Tensor(uninitialized: [g.batch, outChannels, g.outputHeight, g.outputWidth])
        y.withMutablePointer { yp in
            for n in 0..<g.batch {
                let out = yp + n * outChannels * plane
                fillBias(out, columns: plane, rowStride: plane)
                withColumns(of: x, g, n..<(n + 1)) { colp in
                    multiplyByWeight(colp, columns: plane, into: out, rowStride: plane)
                }
            }
        }
        return y
    }

    private func backwardPerImage(_ gradOutput: Tensor, _ x: Tensor, _ g: Im2Col) -> Tensor {
        let plane = g.outputPlane
        var dx = g.isIdentity ? Tensor(uninitialized: x.shape) : Tensor(zeros: x.shape)
        gradOutput.withPointer { gp in
            for n in 0..<g.batch {
                let dy = gp + n * outChannels * plane
                if weight.requiresGradient {
                    withColumns(of: x, g, n..<(n + 1)) { colp in
                        accumulateParameterGradients(dy, rowStride: plane, columns: colp, count: plane, g)
                    }
                }
                if g.isIdentity {
                    dx.withMutablePointer { dxp in
                        multiplyByTransposedWeight(dy, rowStride: plane, count: plane, into: dxp + n * g.patchSize * plane, g)
                    }
                } else {
                    var dcol = Tensor(uninitialized: [g.patchSize, plane])
                    dcol.withMutablePointer { multiplyByTransposedWeight(dy, rowStride: plane, count: plane, into: $0, g) }
                    g.fold(dcol, into: &dx, images: n..<(n + 1))
                }
            }
        }
        return dx
    }

    // MARK: Batched (small planes): one GEMM over many images' columns.

    private func forwardBatched(_ x: Tensor, _ g: Im2Col) -> Tensor {
        let columns = g.batch * g.outputPlane
        // Result in [Cout, N * Ho*Wo] order; for batch 1 that is already NCHW.
        var result = Tensor(uninitialized: [outChannels, columns])
        result.withMutablePointer { rp in
            fillBias(rp, columns: columns, rowStride: columns)
            for images in chunks(g) {
                withColumns(of: x, g, images) { colp in
                    multiplyByWeight(colp, columns: images.count * g.outputPlane,
                                     into: rp + images.lowerBound * g.outputPlane, rowStride: columns)
                }
            }
        }
        return Layout.channelsMajorToBatchMajor(result, batch: g.batch, height: g.outputHeight, width: g.outputWidth)
    }

    private func backwardBatched(_ gradOutput: Tensor, _ x: Tensor, _ g: Im2Col) -> Tensor {
        let columns = g.batch * g.outputPlane
        let dy = Layout.batchMajorToChannelsMajor(gradOutput)
        if g.isIdentity {
            // A 1x1 convolution's column matrix is the input itself.
            var dcol = Tensor(uninitialized: [g.patchSize, columns])
            dy.withPointer { dyp in
                if weight.requiresGradient {
                    withColumns(of: x, g, 0..<g.batch) { colp in
                        accumulateParameterGradients(dyp, rowStride: columns, columns: colp, count: columns, g)
                    }
                }
                dcol.withMutablePointer { multiplyByTransposedWeight(dyp, rowStride: columns, count: columns, into: $0, g) }
            }
            return Layout.channelsMajorToBatchMajor(dcol, batch: g.batch, height: g.height, width: g.width)
        }
        var dx = Tensor(zeros: x.shape)
        dy.withPointer { dyp in
            for images in chunks(g) {
                let offset = images.lowerBound * g.outputPlane, count = images.count * g.outputPlane
                if weight.requiresGradient {
                    g.unfold(x, images: images).withPointer { colp in
                        accumulateParameterGradients(dyp + offset, rowStride: columns, columns: colp, count: count, g)
                    }
                }
                var dcol = Tensor(uninitialized: [g.patchSize, count])
                dcol.withMutablePointer { multiplyByTransposedWeight(dyp + offset, rowStride: columns, count: count, into: $0, g) }
                g.fold(dcol, into: &dx, images: images)
            }
        }
        return dx
    }

    private func chunks(_ g: Im2Col) -> [Range<Int>] {
        let size = g.isIdentity ? g.batch : g.imagesPerChunk
        return Swift.stride(from: 0, to: g.batch, by: size).map { $0..<min($0 + size, g.batch) }
    }

    // MARK: The GEMMs

    /// Every row o of the [Cout, columns] block at `out` set to bias[o] (or left for beta = 0).
    private func fillBias(_ out: UnsafeMutablePointer<Float>, columns: Int, rowStride: Int) {
        guard let bias else { return }
        bias.value.withPointer { bp in
            for o in 0..<outChannels {
                let row = out + o * rowStride
                for j in 0..<columns { row[j] = bp[o] }
            }
        }
    }

    /// out[Cout, columns] (+)= W col.
    private func multiplyByWeight(_ col: UnsafePointer<Float>, columns: Int, into out: UnsafeMutablePointer<Float>, rowStride: Int) {
        let patch = inChannels * kernel * kernel
        weight.value.withPointer { wp in
            BLAS.gemm(m: outChannels, n: columns, k: patch, a: wp, lda: patch, b: col, ldb: columns,
                      beta: bias == nil ? 0 : 1, c: out, ldc: rowStride)
        }
    }

    /// dcol[patch, count] = W^T dY, where dY is [Cout, count] with row stride `rowStride`.
    private func multiplyByTransposedWeight(_ dy: UnsafePointer<Float>, rowStride: Int, count: Int,
                                            into dcol: UnsafeMutablePointer<Float>, _ g: Im2Col) {
        weight.value.withPointer { wp in
            BLAS.gemm(transA: true, m: g.patchSize, n: count, k: outChannels, a: wp, lda: g.patchSize,
                      b: dy, ldb: rowStride, c: dcol, ldc: count)
        }
    }

    /// dW += dY col^T ; db += row sums of dY (dY [Cout, count] with row stride `rowStride`).
    private func accumulateParameterGradients(_ dy: UnsafePointer<Float>, rowStride: Int, columns col: UnsafePointer<Float>,
                                              count: Int, _ g: Im2Col) {
        weight.gradient.withMutablePointer { dwp in
            BLAS.gemm(transB: true, m: outChannels, n: g.patchSize, k: count, a: dy, lda: rowStride,
                      b: col, ldb: count, beta: 1, c: dwp, ldc: g.patchSize)
        }
        bias?.gradient.withMutablePointer { dbp in
            for o in 0..<outChannels {
                var s: Float = 0
                let row = dy + o * rowStride
                for j in 0..<count { s += row[j] }
                dbp[o] += s
            }
        }
    }

    /// Calls `body` with the column matrix of `images`. A 1x1 stride-1 unpadded
    /// convolution needs no unfolding: one image's NCHW block is its column
    /// matrix; several images need only a reordering.
    private func withColumns<R>(of x: Tensor, _ g: Im2Col, _ images: Range<Int>, _ body: (UnsafePointer<Float>) -> R) -> R {
        if g.isIdentity {
            if images.count == 1 {
                return x.withPointer { body($0 + images.lowerBound * g.channels * g.height * g.width) }
            }
            return Layout.batchMajorToChannelsMajor(x).withPointer(body)
        }
        return g.unfold(x, images: images).withPointer(body)
    }
}
