/// Nearest-neighbour 2x upsampling followed by a 3x3 convolution
/// (diffusers' Upsample2D with use_conv; the conv is named `conv`).
public final class Upsample2D: Layer {
    public let conv: Conv2d
    private var inputShape: [Int] = []

    public init(channels: Int, outChannels: Int? = nil, generator: inout SeededGenerator) {
        conv = Conv2d(channels, outChannels ?? channels, kernel: 3, padding: 1, generator: &generator)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(conv, as: "conv", visit)
    }

    public func forward(_ x: Tensor) -> Tensor {
        inputShape = x.shape
        return conv.forward(Self.nearest2x(x))
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        Self.nearest2xAdjoint(conv.backward(gradOutput), inputShape: inputShape)
    }

    static func nearest2x(_ x: Tensor) -> Tensor {
        let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
        var y = Tensor(uninitialized: [x.shape[0], x.shape[1], 2 * h, 2 * w])
        x.withPointer { xp in
            y.withMutablePointer { yp in
                for p in 0..<planes {
                    let src = xp + p * h * w, dst = yp + p * 4 * h * w
                    for i in 0..<h {
                        let row0 = dst + (2 * i) * 2 * w
                        for j in 0..<w {
                            let v = src[i * w + j]
                            row0[2 * j] = v
                            row0[2 * j + 1] = v
                        }
                        (row0 + 2 * w).update(from: row0, count: 2 * w)
                    }
                }
            }
        }
        return y
    }

    static func nearest2xAdjoint(_ dy: Tensor, inputShape: [Int]) -> Tensor {
        let (planes, h, w) = (inputShape[0] * inputShape[1], inputShape[2], inputShape[3])
        var dx = Tensor(uninitialized: inputShape)
        dy.withPointer { gp in
            dx.withMutablePointer { dp in
                for p in 0..<planes {
                    let src = gp + p * 4 * h * w, dst = dp + p * h * w
                    for i in 0..<h {
                        let r0 = src + 2 * i * 2 * w, r1 = r0 + 2 * w
                        for j in 0..<w {
                            dst[i * w + j] = r0[2 * j] + r0[2 * j + 1] + r1[2 * j] + r1[2 * j + 1]
                        }
                    }
                }
            }
        }
        return dx
    }
}

/// A stride-2 3x3 convolution (diffusers' Downsample2D with use_conv). The
/// UNet pads 1 on every side; the VAE encoder pads only right and bottom.
public final class Downsample2D: Layer {
    public let conv: Conv2d

    public init(channels: Int, outChannels: Int? = nil, padding: Padding2D = .uniform(1), generator: inout SeededGenerator) {
        conv = Conv2d(channels, outChannels ?? channels, kernel: 3, stride: 2, padding: padding, generator: &generator)
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(conv, as: "conv", visit)
    }

    public func forward(_ x: Tensor) -> Tensor { conv.forward(x) }
    public func backward(_ gradOutput: Tensor) -> Tensor { conv.backward(gradOutput) }
}
