/// Builds the UNet context of every planned branch in one batch: the text
/// encoder's output for the prompt (or the empty prompt) with Face0's face
/// tokens over its last tokens (or zeros there, as the UNet saw a dropped face).
public enum Face0Context {
    /// `prompt` and `empty` are [1, L, D] text contexts; `faceTokens` is [1, F, D]; without
    /// a face (`hasFace` false) every row gets zeros where the face tokens go.
    public static func batch(for plan: BranchPlan, prompt: Tensor, empty: Tensor, faceTokens: Tensor, hasFace: Bool) -> Tensor {
        let (length, d) = (prompt.shape[1], prompt.shape[2])
        let (rows, f) = (plan.rows.count, faceTokens.shape[1])
        var texts = Tensor(uninitialized: [rows, length, d])
        var tokens = Tensor(uninitialized: [rows, f, d])
        for (row, branch) in plan.rows.enumerated() {
            let source = branch.usesText ? prompt : empty
            texts.scalars.replaceSubrange((row * length * d)..<((row + 1) * length * d), with: source.scalars)
            tokens.scalars.replaceSubrange((row * f * d)..<((row + 1) * f * d), with: faceTokens.scalars)
        }
        let keep = plan.rows.map { hasFace && $0.usesFace }
        return FaceConditioning.replaceLastTokens(of: texts, with: tokens, keep: keep)
    }
}
