/// Face0's context: the face tokens override the LAST tokens of the text
/// context. A row whose face is dropped gets zero vectors there (how the
/// UNet is trained 10% of the time, and what "no face" means at sampling).
public enum FaceConditioning {
    /// text [N, L, D], faceTokens [N, F, D] -> [N, L, D].
    public static func replaceLastTokens(of text: Tensor, with faceTokens: Tensor, keep: [Bool]) -> Tensor {
        let (n, length, d) = (text.shape[0], text.shape[1], text.shape[2])
        let f = faceTokens.shape[1]
        precondition(faceTokens.shape == [n, f, d] && f <= length && keep.count == n, "face tokens do not fit the context")
        var context = text
        for row in 0..<n {
            let base = (row * length + length - f) * d
            for i in 0..<(f * d) { context.scalars[base + i] = keep[row] ? faceTokens.scalars[row * f * d + i] : 0 }
        }
        return context
    }

    /// Splits dL/dcontext into the text part (zero where face tokens sat) and dL/dfaceTokens
    /// (zero for rows whose face was dropped).
    public static func splitGradient(_ gradContext: Tensor, faceTokens f: Int, keep: [Bool]) -> (text: Tensor, face: Tensor) {
        let (n, length, d) = (gradContext.shape[0], gradContext.shape[1], gradContext.shape[2])
        var text = gradContext
        var face = Tensor(zeros: [n, f, d])
        for row in 0..<n {
            let base = (row * length + length - f) * d
            for i in 0..<(f * d) {
                if keep[row] { face.scalars[row * f * d + i] = gradContext.scalars[base + i] }
                text.scalars[base + i] = 0
            }
        }
        return (text, face)
    }
}
