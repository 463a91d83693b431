import ArgumentParser
import PoseEngine

extension ModelCompatibility {
    /// Refuses a UNet, text encoder and face projector that do not fit the VAE and face encoder
    /// at training's latent size: `train unet` and `bench unet` both feed the UNet latents of
    /// renders at the VAE's size and faces from the encoder. `folder`, when given, starts the message.
    static func requireTrainingFit(unet: UNet2DConditionModel, textEncoder: TextEncoder, projector: FaceProjector,
                                   vae: AutoencoderKL, faceEncoder: FaceEncoder, folder: String? = nil) throws {
        let problems = self.problems(unet: unet.config, vae: vae.config, textEncoder: textEncoder.config,
                                     faceProjector: projector.config, faceEncoder: faceEncoder.config, forTraining: true)
        guard problems.isEmpty else {
            throw ValidationError((folder.map { "\($0): " } ?? "")
                                  + "the UNet, text encoder and face projector do not fit this VAE and face encoder: "
                                  + problems.joined(separator: "; "))
        }
    }
}
