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
        let columns = g.batch * g.outputPlane
        // Result in [Cout, N * Ho*Wo] order; for batch 1 that is already NCHW.
        var result = Tensor(uninitialized: [outChannels, columns])
        result.withMutablePointer { rp in
            if let bias {
                bias.value.withPointer { bp in
                    for o in 0..<outChannels {
                        let row = rp + o * columns
                        for j in 0..<columns { row[j] = bp[o] }
                    }
                }
            }
            for images in chunks(g) {
                withColumns(of: x, g, images) { colp in
                    weight.value.withPointer { wp in
                        BLAS.gemm(m: outChannels, n: images.count * g.outputPlane, k: g.patchSize, a: wp, lda: g.patchSize,
                                  b: colp, ldb: images.count * g.outputPlane, beta: bias == nil ? 0 : 1,
                                  c: rp + images.lowerBound * g.outputPlane, ldc: columns)
                    }
                }
            }
        }
        return Layout.channelsMajorToBatchMajor(result, batch: g.batch, height: g.outputHeight, width: g.outputWidth)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let x = requireCached(input, "Conv2d")
        let g = geometry(of: x)
        let columns = g.batch * g.outputPlane
        let dy = Layout.batchMajorToChannelsMajor(gradOutput)
        if g.isIdentity {
            // A 1x1 convolution's column matrix is the input itself.
            if weight.requiresGradient { accumulateParameterGradients(dy, columns: Layout.batchMajorToChannelsMajor(x), g, 0..<g.batch) }
            var dcol = Tensor(uninitialized: [g.patchSize, columns])
            multiplyByTransposedWeight(dy, into: &dcol, g, 0..<g.batch)
            return Layout.channelsMajorToBatchMajor(dcol, batch: g.batch, height: g.height, width: g.width)
        }
        var dx = Tensor(zeros: x.shape)
        for images in chunks(g) {
            if weight.requiresGradient { accumulateParameterGradients(dy, columns: g.unfold(x, images: images), g, images) }
            var dcol = Tensor(uninitialized: [g.patchSize, images.count * g.outputPlane])
            multiplyByTransposedWeight(dy, into: &dcol, g, images)
            g.fold(dcol, into: &dx, images: images)
        }
        return dx
    }

    private func chunks(_ g: Im2Col) -> [Range<Int>] {
        let size = g.isIdentity ? g.batch : g.imagesPerChunk
        return Swift.stride(from: 0, to: g.batch, by: size).map { $0..<min($0 + size, g.batch) }
    }

    /// dcol = W^T dY for the columns of `images`.
    private func multiplyByTransposedWeight(_ dy: Tensor, into dcol: inout Tensor, _ g: Im2Col, _ images: Range<Int>) {
        let columns = g.batch * g.outputPlane, chunkColumns = images.count * g.outputPlane
        dcol.withMutablePointer { dcp in
            dy.withPointer { dyp in
                weight.value.withPointer { wp in
                    BLAS.gemm(transA: true, m: g.patchSize, n: chunkColumns, k: outChannels, a: wp, lda: g.patchSize,
                              b: dyp + images.lowerBound * g.outputPlane, ldb: columns, c: dcp, ldc: chunkColumns)
                }
            }
        }
    }

    /// dW += dY[:, images] col^T ; db += row sums of dY[:, images].
    private func accumulateParameterGradients(_ dy: Tensor, columns col: Tensor, _ g: Im2Col, _ images: Range<Int>) {
        let columns = g.batch * g.outputPlane, chunkColumns = images.count * g.outputPlane
        let offset = images.lowerBound * g.outputPlane
        dy.withPointer { dyp in
            col.withPointer { colp in
                weight.gradient.withMutablePointer { dwp in
                    BLAS.gemm(transB: true, m: outChannels, n: g.patchSize, k: chunkColumns, a: dyp + offset, lda: columns,
                              b: colp, ldb: chunkColumns, beta: 1, c: dwp, ldc: g.patchSize)
                }
            }
            bias?.gradient.withMutablePointer { dbp in
                for o in 0..<outChannels {
                    var s: Float = 0
                    let row = dyp + o * columns + offset
                    for j in 0..<chunkColumns { s += row[j] }
                    dbp[o] += s
                }
            }
        }
    }

    /// Calls `body` with the column matrix of `images`; a 1x1 stride-1 unpadded
    /// convolution of one image needs no copy at all.
    private func withColumns<R>(of x: Tensor, _ g: Im2Col, _ images: Range<Int>, _ body: (UnsafePointer<Float>) -> R) -> R {
        if g.isIdentity {
            return g.batch == 1 ? x.withPointer(body) : Layout.batchMajorToChannelsMajor(x).withPointer(body)
        }
        return g.unfold(x, images: images).withPointer(body)
    }

}
