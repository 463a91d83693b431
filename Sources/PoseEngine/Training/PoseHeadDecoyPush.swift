/// Training a pose head not to be fooled by guidance's own push.
///
/// Guidance moves the latent along the gradient of the head's error toward a target. A head read
/// only on renders' latents can answer such a push with a reading that moves while the picture
/// does not (a head asked for 60° of yaw reads 71°, and the judge reads the picture at 24°). So a
/// row can also be read after one such push toward a decoy pose, another row's, and trained to
/// read its own pose there as well: the push is small beside the noise, so the picture it holds
/// is the row's. A head whose reading a push cannot move by itself has a gradient that moves the
/// picture.
extension PoseHeadTrainer {
    /// `latents` [N, ...] each pushed by one step of RMS `decoyPush` per element along the
    /// gradient that pulls the head's reading of it toward `decoys` [N, 5] (normalised poses),
    /// as guidance pushes. The head's parameter gradients are left as they were found (zero).
    func pushedTowardDecoys(_ latents: Tensor, timesteps: [Float], context: Tensor, decoys: Tensor) -> Tensor {
        let reading = head.forward(unet.forwardDownPath(latents, timesteps: timesteps, context: context), timesteps: timesteps)
        var gradient = Tensor(zeros: reading.shape)
        for i in 0..<reading.count { gradient.scalars[i] = 2 * (reading.scalars[i] - decoys.scalars[i]) }
        let latentGradient = unet.backwardFromDownPath(head.backward(gradient)).sample
        head.zeroGradients()
        let rows = latents.shape[0], plane = latents.count / rows
        var pushed = latents
        for row in 0..<rows {
            let span = (row * plane)..<((row + 1) * plane)
            let norm = latentGradient.scalars[span].reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { continue }
            // Down the gradient, so the reading moves toward the decoy; RMS decoyPush per element.
            let scale = decoyPush * Float(plane).squareRoot() / norm
            for i in span { pushed.scalars[i] -= scale * latentGradient.scalars[i] }
        }
        return pushed
    }

    /// Each row's decoy: the next row's pose (the last row's, the first's).
    static func decoys(for targets: Tensor) -> Tensor {
        let rows = targets.shape[0]
        return Tensor.stacked((0..<rows).map { targets.batchRow(($0 + 1) % rows) })
    }
}
