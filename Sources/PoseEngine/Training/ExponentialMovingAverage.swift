/// An exponential moving average of a module's weights: sampling from the
/// averaged weights gives steadier images than the last optimiser step.
public final class ExponentialMovingAverage {
    public let decay: Float
    private(set) var shadows: [String: [Float]] = [:]

    public init(of module: ParameterVisitable, decay: Float) {
        self.decay = decay
        module.visitParameters { name, p in shadows[name] = p.value.scalars }
    }

    public func update(from module: ParameterVisitable, step: Int) {
        // Warm-up as in common diffusion trainers: early on, follow the weights closely.
        let d = min(decay, Float(1 + step) / Float(10 + step))
        module.visitParameters { name, p in
            guard var shadow = shadows[name] else { return }
            p.value.withPointer { w in
                for i in 0..<shadow.count { shadow[i] = d * shadow[i] + (1 - d) * w[i] }
            }
            shadows[name] = shadow
        }
    }

    /// Copies the averaged weights into `module` (e.g. before saving the final model).
    public func copy(into module: ParameterVisitable) {
        module.visitParameters { name, p in
            if let shadow = shadows[name] { p.value = Tensor(shape: p.value.shape, scalars: shadow) }
        }
    }

    public func tensors(shapes: [String: [Int]]) -> [(name: String, tensor: Tensor)] {
        shadows.keys.sorted().compactMap { name in
            guard let shape = shapes[name], let s = shadows[name] else { return nil }
            return ("ema.\(name)", Tensor(shape: shape, scalars: s))
        }
    }

    public func restore(_ tensors: [String: Tensor]) {
        for (key, tensor) in tensors where key.hasPrefix("ema.") { shadows[String(key.dropFirst(4))] = tensor.scalars }
    }
}
