/// Training a pose head not to be fooled by guidance's own push.
///
/// Guidance moves the latent along the gradient of the head's error toward a target. A head read
/// only on renders' latents can answer such a push with a reading that moves while the picture
/// does not (a head asked for 60° of yaw reads 71°, and the judge reads the picture at 24°). So a
/// row can also be read after one such push toward a decoy pose, another row's, and trained to
/// read its own pose there as well, on the premise that one push of about a guided step's size
/// leaves the row's picture what it was. A head whose reading a push cannot move by itself has a
/// gradient that moves the picture.
///
/// A guided DDIM step moves x_t by its push on eps (at most the push limit, half eps's norm)
/// times a factor of 0.1 to 0.3 for SD's schedule at 20 steps: an RMS of up to about 0.05 to 0.15
/// per latent element, at every noise level alike.
extension PoseHeadTrainer {
    /// `latents` [N, ...] each pushed by one step of RMS `decoyPush` per element along the
    /// gradient that pulls the head's reading of it toward `decoys` [N, 5] (normalised poses),
    /// as guidance pushes. The head accumulates no parameter gradients for it, and is left as
    /// trainable as it was found.
    func pushedTowardDecoys(_ latents: Tensor, timesteps: [Float], context: Tensor, decoys: Tensor) -> Tensor {
        let trainable = head.namedParameters().map { ($0.parameter, $0.parameter.requiresGradient) }
        head.setRequiresGradient(false)
        defer { for (parameter, required) in trainable { parameter.requiresGradient = required } }
        let reading = head.forward(unet.forwardDownPath(latents, timesteps: timesteps, context: context), timesteps: timesteps)
        var gradient = Tensor(zeros: reading.shape)
        for i in 0..<reading.count { gradient.scalars[i] = 2 * (reading.scalars[i] - decoys.scalars[i]) }
        let latentGradient = unet.backwardFromDownPath(head.backward(gradient)).sample
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

    /// Each row's decoy: the next row's pose (the last row's, the first's), so a batch needs two
    /// rows or more.
    static func decoys(for targets: Tensor) -> Tensor {
        let rows = targets.shape[0]
        return Tensor.stacked((0..<rows).map { targets.batchRow(($0 + 1) % rows) })
    }
}
