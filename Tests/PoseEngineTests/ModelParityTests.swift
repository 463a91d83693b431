import Testing
@testable import PoseEngine

/// The UNet and VAE against diffusers on small random weights (fixtures from tools/reference).
@Suite struct ModelParityTests {
    @Test(arguments: ["unet_tiny", "unet_tiny_linear"])
    func unetForwardAndMidBlockGradient(fixture: String) throws {
        let unet = try UNet2DConditionModel.load(from: Fixtures.url(fixture))
        let io = try Fixtures.archive("\(fixture)/io.safetensors")
        let timesteps = try io["timestep"].scalars
        let output = unet.forward(try io["sample"], timesteps: timesteps, context: try io["encoder_hidden_states"])
        expectClose(output.midBlock, try io["mid_output"], tolerance: 1e-4, "mid block")
        expectClose(output.sample, try io["output"], tolerance: 1e-4, "output")
        for (i, features) in output.decoderFeatures.enumerated() {
            expectClose(features, try io["up_block_\(i)_output"], tolerance: 1e-4, "up block \(i)")
        }

        let full = unet.backward(try io["output_loss_weights"])
        expectClose(full.sample, try io["grad_sample_full"], tolerance: 1e-3, "full gradient wrt sample")
        expectClose(full.context, try io["grad_encoder_hidden_states_full"], tolerance: 1e-3, "full gradient wrt context")

        _ = unet.forwardToMidBlock(try io["sample"], timesteps: timesteps, context: try io["encoder_hidden_states"])
        let mid = unet.backwardFromMidBlock(try io["mid_loss_weights"])
        expectClose(mid.sample, try io["grad_sample"], tolerance: 1e-3, "mid-block gradient wrt sample")
        expectClose(mid.context, try io["grad_encoder_hidden_states"], tolerance: 1e-3, "mid-block gradient wrt context")
    }

    @Test func unetParameterGradients() throws {
        let unet = try UNet2DConditionModel.load(from: Fixtures.url("unet_tiny"))
        let io = try Fixtures.archive("unet_tiny/io.safetensors")
        unet.zeroGradients()
        _ = unet.forward(try io["sample"], timesteps: try io["timestep"].scalars, context: try io["encoder_hidden_states"])
        _ = unet.backward(try io["output_loss_weights"])
        let parameters = Dictionary(uniqueKeysWithValues: unet.namedParameters().map { ($0.name, $0.parameter) })
        let names = io.names.filter { $0.hasPrefix("grad_param.") }
        #expect(names.count == 4)
        for name in names {
            let parameterName = String(name.dropFirst("grad_param.".count))
            let parameter = try #require(parameters[parameterName], "no parameter \(parameterName)")
            expectClose(parameter.gradient, try io[name], tolerance: 1e-3, parameterName)
        }
    }

    @Test func vaeEncodeDecodeAndGradients() throws {
        let vae = try AutoencoderKL.load(from: Fixtures.url("vae_tiny"))
        let io = try Fixtures.archive("vae_tiny/io.safetensors")
        #expect(vae.config.scalingFactor == 0.3)
        let posterior = vae.encode(try io["image"])
        expectClose(posterior.mean, try io["posterior_mean"], tolerance: 1e-4, "posterior mean")
        expectClose(posterior.logVariance, try io["posterior_logvar"], tolerance: 1e-4, "posterior log-variance")
        let gradImage = vae.backwardEncode(mean: try io["R_enc"])
        expectClose(gradImage, try io["grad_image"], tolerance: 1e-3, "encoder gradient wrt image")

        let decoded = vae.decode(try io["z"])
        expectClose(decoded, try io["decoded"], tolerance: 1e-4, "decoded image")
        let gradZ = vae.backwardDecode(try io["R_dec"])
        expectClose(gradZ, try io["grad_z"], tolerance: 1e-3, "decoder gradient wrt latent")
    }
}
