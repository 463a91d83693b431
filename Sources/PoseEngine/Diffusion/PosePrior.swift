import Foundation

/// The layout of the pose targets, as a latent to lay into the starting noise.
///
/// The forward process leaves sqrt(alpha_bar_T) of the clean picture in x_T; a walk that
/// starts from pure noise drops that signal, and the denoiser's first steps, which settle where
/// the head is, how large and which way it turns, then follow whatever the noise happens to
/// suggest, at timesteps where the pose head reads pose least well. Putting back the part of
/// that signal that depends on pose alone (the signal-leak idea) lets those first steps start
/// from the asked layout. Pose guidance still does the steering.
///
/// The part that depends on pose alone: the same people of the synthetic head world, rendered
/// once with the active targets in place of their own pose values and once as they are,
/// each set averaged pixel by pixel (people, styles and backgrounds blur into a generic head),
/// through the VAE encoder, and the second subtracted from the first. What both sets share,
/// the backgrounds and colours, cancels, so the seed keeps choosing those.
public struct PosePrior {
    /// People averaged in each set: enough to blur away any one person's hair and colouring.
    public static let peopleCount = 16
    /// The synthetic world the people come from; fixed, so a seed's picture never changes.
    static let worldSeed: UInt64 = 0x5EED_9A1

    let vae: AutoencoderKL
    private let scenes: [SynthScene]
    /// The people as they are: the same for every target, so encoded once.
    private let ownLatent: Tensor

    public init(vae: AutoencoderKL) {
        self.vae = vae
        let world = SynthDataset(seed: Self.worldSeed, imageSize: vae.config.sampleSize, identityCount: Self.peopleCount)
        scenes = (0..<Self.peopleCount).map { world.spec($0).scene }
        ownLatent = Self.encodeMean(of: scenes, vae: vae)
    }

    /// The scaled latent [1, C, h, w] that the active targets add to an average picture; zero
    /// when no target is active.
    public func latent(for targets: GuidanceTargets) -> Tensor {
        guard !targets.active.isEmpty else { return Tensor(zeros: ownLatent.shape) }
        return Self.encodeMean(of: scenes.map { Self.posed($0, targets) }, vae: vae) - ownLatent
    }

    /// `scene` with each active target's value in place of its own.
    static func posed(_ scene: SynthScene, _ targets: GuidanceTargets) -> SynthScene {
        var pose = scene.pose
        for quantity in targets.active {
            let value = targets.values.value(quantity)
            switch quantity {
            case .pitch: pose.pitch = value
            case .yaw: pose.yaw = value
            case .x: pose.x = value
            case .y: pose.y = value
            case .scale: pose.scale = value
            }
        }
        var posed = scene
        posed.pose = pose
        return posed
    }

    /// The scenes' pixel-wise mean picture [1, 3, S, S], in the VAE's range.
    static func meanPicture(of scenes: [SynthScene], size: Int) -> Tensor {
        let images = ParallelRendering.render(scenes, size: size, threads: ProcessInfo.processInfo.activeProcessorCount)
        var mean = Tensor(zeros: [1, 3, size, size])
        let share = 1 / Float(max(images.count, 1))
        for image in images {
            for (i, value) in image.floats().enumerated() { mean.scalars[i] += share * value }
        }
        return mean
    }

    static func encodeMean(of scenes: [SynthScene], vae: AutoencoderKL) -> Tensor {
        vae.encode(meanPicture(of: scenes, size: vae.config.sampleSize)).mean * vae.config.scalingFactor
    }
}
