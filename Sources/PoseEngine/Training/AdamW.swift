import Foundation

/// AdamW (decoupled weight decay) over a module's named parameters, with
/// global-norm gradient clipping. Its moments are saved with checkpoints so a
/// resumed run continues exactly.
public final class AdamW {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public let maxGradientNorm: Float?
    public private(set) var step = 0
    private var firstMoments: [String: [Float]] = [:]
    private var secondMoments: [String: [Float]] = [:]

    public init(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0.01, maxGradientNorm: Float? = 1.0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.maxGradientNorm = maxGradientNorm
    }

    /// Applies one update from the accumulated gradients, then zeroes them.
    /// Returns the gradient norm before clipping (a training-health signal).
    @discardableResult
    public func update(_ parameters: [(name: String, parameter: Parameter)]) -> Float {
        let trainable = parameters.filter { $0.parameter.requiresGradient }
        var squared: Double = 0
        for (_, p) in trainable { for g in p.gradient.scalars { squared += Double(g) * Double(g) } }
        let norm = Float(squared.squareRoot())
        let clip: Float = maxGradientNorm.map { norm > $0 && norm.isFinite ? $0 / norm : 1 } ?? 1
        step += 1
        let correction1 = 1 - powf(beta1, Float(step))
        let correction2 = 1 - powf(beta2, Float(step))
        let stepSize = learningRate / correction1
        for (name, p) in trainable {
            let n = p.value.count
            var m = firstMoments[name] ?? [Float](repeating: 0, count: n)
            var v = secondMoments[name] ?? [Float](repeating: 0, count: n)
            let decay = 1 - learningRate * weightDecay
            let (b1, b2, eps) = (beta1, beta2, epsilon)
            p.gradient.withPointer { g in
                p.value.withMutablePointer { w in
                    m.withUnsafeMutableBufferPointer { mp in
                        v.withUnsafeMutableBufferPointer { vp in
                            for i in 0..<n {
                                let gi = g[i] * clip
                                mp[i] = b1 * mp[i] + (1 - b1) * gi
                                vp[i] = b2 * vp[i] + (1 - b2) * gi * gi
                                w[i] = w[i] * decay - stepSize * mp[i] / ((vp[i] / correction2).squareRoot() + eps)
                            }
                        }
                    }
                }
            }
            firstMoments[name] = m
            secondMoments[name] = v
            p.zeroGradient()
        }
        return norm
    }

    /// The optimiser state as named tensors (for checkpoints).
    public func stateTensors(shapes: [String: [Int]]) -> [(name: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = []
        for name in firstMoments.keys.sorted() {
            guard let shape = shapes[name], let m = firstMoments[name], let v = secondMoments[name] else { continue }
            out.append(("adam.m.\(name)", Tensor(shape: shape, scalars: m)))
            out.append(("adam.v.\(name)", Tensor(shape: shape, scalars: v)))
        }
        return out
    }

    public func restore(step: Int, tensors: [String: Tensor]) {
        self.step = step
        for (key, tensor) in tensors {
            if key.hasPrefix("adam.m.") { firstMoments[String(key.dropFirst(7))] = tensor.scalars }
            if key.hasPrefix("adam.v.") { secondMoments[String(key.dropFirst(7))] = tensor.scalars }
        }
    }
}

/// Linear warm-up then cosine decay to `floor` x the peak rate.
public struct LearningRateSchedule: Sendable {
    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var floor: Float = 0.1

    public init(peak: Float, warmupSteps: Int, totalSteps: Int, floor: Float = 0.1) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.floor = floor
    }

    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(max(warmupSteps, 1)) }
        let progress = Float(step - warmupSteps) / Float(max(totalSteps - warmupSteps, 1))
        let cosine = 0.5 * (1 + cosf(Float.pi * min(progress, 1)))
        return peak * (floor + (1 - floor) * cosine)
    }
}
