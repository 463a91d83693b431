/// Layers applied in order; parameters are named by position ("0.weight",
/// "2.bias"), as torch.nn.Sequential names them.
public final class Sequential: Layer {
    public let layers: [Layer]

    public init(_ layers: [Layer]) {
        self.layers = layers
    }

    public func visitParameters(_ visit: (String, Parameter) -> Void) {
        PoseEngine.visit(layers, as: "", visit)
    }

    public func forward(_ x: Tensor) -> Tensor {
        layers.reduce(x) { $1.forward($0) }
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        layers.reversed().reduce(gradOutput) { $1.backward($0) }
    }
}
