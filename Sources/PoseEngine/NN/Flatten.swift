/// [N, d1, d2, ...] -> [N, d1*d2*...]: a view, so backward only restores the shape.
public final class Flatten: Layer {
    private var inputShape: [Int] = []
    public init() {}

    public func forward(_ x: Tensor) -> Tensor {
        inputShape = x.shape
        return x.reshaped([x.shape[0], x.count / max(x.shape[0], 1)])
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        gradOutput.reshaped(inputShape)
    }
}
