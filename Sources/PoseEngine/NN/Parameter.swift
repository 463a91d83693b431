/// A trainable tensor and the gradient accumulated into it by backward passes.
///
/// A class, so that optimisers and weight loaders reach the same storage the
/// layer computes with.
public final class Parameter {
    public var value: Tensor
    public var gradient: Tensor
    /// When false, backward passes skip this parameter's gradient: guidance
    /// needs only dL/dx, and the weight GEMMs would double its cost.
    public var requiresGradient = true

    public init(_ value: Tensor) {
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
    }

    public var shape: [Int] { value.shape }

    public func zeroGradient() {
        gradient.fill(0)
    }
}

/// Anything that owns parameters, named the way diffusers names them
/// ("down_blocks.0.resnets.1.conv1.weight").
public protocol ParameterVisitable: AnyObject {
    /// Calls `visit` with every parameter's dotted name, relative to this module.
    func visitParameters(_ visit: (String, Parameter) -> Void)
}

extension ParameterVisitable {
    public func namedParameters() -> [(name: String, parameter: Parameter)] {
        var all: [(String, Parameter)] = []
        visitParameters { all.append(($0, $1)) }
        return all
    }

    public var parameterCount: Int {
        var total = 0
        visitParameters { _, p in total += p.value.count }
        return total
    }

    public func zeroGradients() {
        visitParameters { _, p in p.zeroGradient() }
    }

    /// Turns parameter-gradient accumulation on (training) or off (inference, guidance).
    public func setRequiresGradient(_ required: Bool) {
        visitParameters { _, p in p.requiresGradient = required }
    }

    /// Gives every parameter that `source` has under the same name and shape `source`'s value,
    /// and returns how many were set; the others keep theirs.
    @discardableResult
    public func copyParameterValues(from source: ParameterVisitable) -> Int {
        let values = Dictionary(uniqueKeysWithValues: source.namedParameters().map { ($0.name, $0.parameter.value) })
        var copied = 0
        visitParameters { name, parameter in
            guard let value = values[name], value.shape == parameter.shape else { return }
            parameter.value = value
            copied += 1
        }
        return copied
    }
}

/// Visits a child module's parameters under `prefix.`.
@inlinable
public func visit(_ child: ParameterVisitable?, as prefix: String, _ visit: (String, Parameter) -> Void) {
    child?.visitParameters { visit("\(prefix).\($0)", $1) }
}

/// Visits each element of an indexed list of modules as `prefix.i` (or just `i`
/// for an empty prefix).
@inlinable
public func visit(_ children: [ParameterVisitable], as prefix: String, _ visit: (String, Parameter) -> Void) {
    for (i, child) in children.enumerated() {
        let name = prefix.isEmpty ? "\(i)" : "\(prefix).\(i)"
        child.visitParameters { visit("\(name).\($0)", $1) }
    }
}

/// Parameter initialisation matching PyTorch's defaults (Kaiming-uniform with a = sqrt(5)),
/// drawn from a seeded generator.
public enum Initializer {
    public static func uniformFanIn(_ shape: [Int], fanIn: Int, generator: inout SeededGenerator) -> Tensor {
        let bound = 1 / Float(max(fanIn, 1)).squareRoot()
        return Tensor.randomUniform(shape, in: -bound...bound, generator: &generator)
    }
}
