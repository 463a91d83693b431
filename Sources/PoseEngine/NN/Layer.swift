/// A differentiable function of one tensor.
///
/// `forward` keeps what `backward` needs (usually a reference to its input,
/// which costs no copy); `backward` takes dL/dy for the most recent forward,
/// accumulates dL/dparameters into each `Parameter.gradient` and returns dL/dx.
/// A layer instance therefore appears once in a computation; a block that uses
/// an activation twice owns two instances.
public protocol Layer: ParameterVisitable {
    func forward(_ x: Tensor) -> Tensor
    func backward(_ gradOutput: Tensor) -> Tensor
}

extension Layer {
    public func visitParameters(_ visit: (String, Parameter) -> Void) {}
}

/// Fails loudly when a backward runs without its forward: a programming error,
/// never something user input can cause.
@inline(__always)
func requireCached<T>(_ value: T?, _ layer: StaticString) -> T {
    guard let value else { fatalError("\(layer).backward called before forward") }
    return value
}
