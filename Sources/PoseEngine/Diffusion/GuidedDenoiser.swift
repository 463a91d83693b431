/// One denoising prediction: every planned Face0 branch in a single batched
/// UNet call, combined; then, on guided steps, readout guidance from the pose
/// head on the down-path features of those same rows (the loss acts on every
/// branch, as in Readout Guidance), back-propagated through the head, the mid
/// block and the down path only: eps_hat = eps - sqrt(1 - alpha_bar) * (-dL/dx_t).
/// With a lookahead, the targets it reads ahead are read on the predicted clean latent
/// instead (see `GuidanceLookahead`), by the lookahead head when there is one trained that far.
/// The step's whole push, on x_t and ahead, is then bounded by the guidance's `pushLimit`.
public final class GuidedDenoiser {
    public let unet: UNet2DConditionModel
    public let head: PoseReadoutHead
    /// A head trained below its config's `max_timestep` alone, for readings ahead.
    public let lookaheadHead: PoseReadoutHead?

    public struct Prediction: Sendable {
        public var eps: Tensor
        /// The head's reading of the most conditioned branch.
        public var estimate: PoseValues
        /// The guidance loss before the step, when guidance acted.
        public var guidanceLoss: Float?
        /// UNet batch rows evaluated (one per branch run).
        public var batchRows: Int
    }

    /// Sampling needs input gradients only: parameter gradients would double the backward's cost.
    public init(unet: UNet2DConditionModel, head: PoseReadoutHead, lookaheadHead: PoseReadoutHead? = nil) {
        self.unet = unet
        self.head = head
        self.lookaheadHead = lookaheadHead
        unet.setRequiresGradient(false)
        head.setRequiresGradient(false)
        lookaheadHead?.setRequiresGradient(false)
    }

    /// The head that reads latents at `timestep` ahead: the lookahead head when it was trained
    /// on that timestep, the main head otherwise.
    public func headReadingAhead(at timestep: Int) -> PoseReadoutHead {
        guard let lookaheadHead, let limit = lookaheadHead.config.maxTimestep, timestep < limit else { return head }
        return lookaheadHead
    }

    /// `x` [1, C, H, W] is the variance-preserving x_t; `contexts` holds one row per `plan` row.
    public func predict(_ x: Tensor, timestep: Int, alphaBar: Float, plan: BranchPlan, contexts: Tensor,
                        guidance: PoseGuidance?, lookahead: GuidanceLookahead? = nil) -> Prediction {
        let rows = plan.rows.count
        let batch = Self.repeated(x, rows: rows)
        let times = [Float](repeating: Float(timestep), count: rows)
        let output = unet.forward(batch, timesteps: times, context: contexts)
        var eps = plan.combine(output.sample)
        var estimate: PoseValues {
            PoseValues.rows(of: head.forward(output.downPath.row(plan.estimateRow), timesteps: [Float(timestep)]))[0]
        }
        guard let guidance, guidance.isActive else {
            return Prediction(eps: eps, estimate: estimate, guidanceLoss: nil, batchRows: rows)
        }
        let unguided = eps
        // Where finished pictures land is the model's, so the main head's calibration aims every
        // target, whichever head reads it.
        let aimed = guidance.aimed(by: head.config)
        var here = aimed
        var ahead: PoseGuidance?
        if let lookahead, timestep > lookahead.timestep { (here, ahead) = lookahead.split(aimed) }
        var loss: Float = 0
        var reading: PoseValues?
        // On x_t first: reading ahead runs the down path again, over the activations this backward
        // needs. The readings ahead then start from the eps this push left (`GuidanceLookahead`).
        if here.isActive {
            let predictions = head.forward(output.downPath, timesteps: times)
            let (hereLoss, gradient) = here.lossAndGradient(predictions: predictions, gains: head.config.gains)
            let dx = Self.summedRows(unet.backwardFromDownPath(head.backward(gradient)).sample)
            eps.add(dx, scaledBy: (1 - alphaBar).squareRoot())
            (loss, reading) = (hereLoss, PoseValues.rows(of: predictions)[plan.estimateRow])
        }
        if let lookahead, let ahead, ahead.isActive {
            let reader = headReadingAhead(at: lookahead.timestep)
            let (aheadLoss, push) = lookahead.push(eps: eps, x: x, alphaBar: alphaBar, guidance: ahead) {
                guidanceLossAndGradient($0, timestep: lookahead.timestep, contexts: contexts, guidance: $1, head: reader)
            }
            eps = eps + push
            loss += aheadLoss
        }
        return Prediction(eps: guidance.limitingPush(eps, from: unguided), estimate: reading ?? estimate, guidanceLoss: loss, batchRows: rows)
    }

    /// The guidance loss at x_t and dL/dx_t alone (the down path and mid block are as far as the forward goes).
    /// `x` may hold several latents [K, C, H, W] (a lookahead's readings): each is read under every
    /// context row, the loss is the mean over all those rows, and the gradient is summed over them
    /// into one latent's shape.
    /// `head` reads (default: the main head).
    public func guidanceLossAndGradient(_ x: Tensor, timestep: Int, contexts: Tensor, guidance: PoseGuidance,
                                        head reader: PoseReadoutHead? = nil) -> (loss: Float, gradient: Tensor) {
        let head = reader ?? head
        let latents = x.shape[0], rows = latents * contexts.shape[0]
        let times = [Float](repeating: Float(timestep), count: rows)
        let batch = Tensor.stacked((0..<latents).map { Self.repeated(x.batchRow($0), rows: contexts.shape[0]) })
        let features = unet.forwardDownPath(batch, timesteps: times, context: Self.repeated(contexts, rows: latents))
        let (loss, gradient) = guidance.lossAndGradient(predictions: head.forward(features, timesteps: times), gains: head.config.gains)
        return (loss, Self.summedRows(unet.backwardFromDownPath(head.backward(gradient)).sample))
    }

    static func repeated(_ x: Tensor, rows: Int) -> Tensor {
        Tensor.stacked(Array(repeating: x, count: rows))
    }

    static func summedRows(_ t: Tensor) -> Tensor {
        let rows = t.shape[0], plane = t.count / rows
        var out = t.batchRow(0)
        for r in 1..<max(rows, 1) {
            for i in 0..<plane { out.scalars[i] += t.scalars[r * plane + i] }
        }
        return out
    }
}
