/// The four conditionings Face0's guidance mixes. "No text" is the empty
/// prompt and "no face" zeroes the face tokens, exactly how the UNet is
/// trained to see a dropped condition.
public enum ConditioningBranch: Int, CaseIterable, Sendable {
    case none, text, face, textAndFace

    var usesText: Bool { self == .text || self == .textAndFace }
    var usesFace: Bool { self == .face || self == .textAndFace }
}

/// Face0's weighted classifier-free guidance:
/// eps = w eps_F + (1 - w) eps(none), eps_F = c eps(text, face) + (1 - c)(a eps(face) + (1 - a) eps(text)).
public struct CFGWeights: Codable, Sendable, Equatable {
    /// w: overall guidance scale (1 = no guidance, 7.5 by default).
    public var scale: Float
    /// c: share of the joint (text, face) prediction; 1 is standard CFG.
    public var combined: Float
    /// a: within the separate part, the face prediction's share against the text one.
    public var face: Float

    public init(scale: Float = 7.5, combined: Float = 1, face: Float = 0.5) {
        (self.scale, self.combined, self.face) = (scale, combined, face)
    }

    /// The expanded coefficient of each branch; they always sum to 1.
    public func coefficient(_ branch: ConditioningBranch) -> Float {
        switch branch {
        case .none: return 1 - scale
        case .text: return scale * (1 - combined) * (1 - face)
        case .face: return scale * (1 - combined) * face
        case .textAndFace: return scale * combined
        }
    }
}

/// Which branches one denoising step evaluates (one UNet batch row each) and
/// how their predictions combine. A branch whose coefficient is 0 is never
/// run; without a face, the face tokens are zero, so "face" is "none" and
/// "text and face" is "text" and their coefficients merge.
public struct BranchPlan: Sendable, Equatable {
    public let rows: [ConditioningBranch]
    public let coefficients: [Float]

    public init(weights: CFGWeights, hasFace: Bool) {
        var merged: [ConditioningBranch: Float] = [:]
        for branch in ConditioningBranch.allCases {
            var target = branch
            if !hasFace { target = branch.usesText ? .text : .none }
            merged[target, default: 0] += weights.coefficient(branch)
        }
        let kept = ConditioningBranch.allCases.filter { (merged[$0] ?? 0) != 0 }
        rows = kept
        coefficients = kept.map { merged[$0] ?? 0 }
    }

    /// sum_r coefficient_r * predictions[r]: [rows, C, H, W] -> [1, C, H, W].
    public func combine(_ predictions: Tensor) -> Tensor {
        precondition(predictions.shape[0] == rows.count, "one prediction per planned branch")
        let plane = predictions.count / rows.count
        var out = Tensor(zeros: [1] + predictions.shape.dropFirst())
        predictions.withPointer { p in
            out.withMutablePointer { o in
                for (row, k) in coefficients.enumerated() {
                    let base = row * plane
                    for i in 0..<plane { o[i] += k * p[base + i] }
                }
            }
        }
        return out
    }

    /// The branch the head's live estimate is read from: the most conditioned one run.
    public var estimateRow: Int { rows.count - 1 }
}
