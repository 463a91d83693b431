import ArgumentParser
import PoseEngine

/// Where `train judge` and `train face_encoder` start from: fresh weights, or another
/// model folder's (--init-from), optionally deepened (--layers-per-block), and the
/// peak learning rate, which a continued network usually wants lower.
struct ConvNetworkStartOptions: ParsableArguments {
    @OptionGroup var initial: InitialWeightsOption

    @Option(help: ArgumentHelp(
        "Convolutions per resolution (default: the --init-from network's, else the default model's).",
        discussion: "More than the --init-from network has adds residual units that start as identities: training goes on from what it had learned, with more capacity."))
    var layersPerBlock: Int?

    @Option(help: "Peak learning rate (after 60 warm-up steps, then cosine decay) instead of the command's default; a lower one suits continuing trained weights.")
    var learningRate: Float?

    func validate() throws {
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) { throw ValidationError("--learning-rate must be positive") }
        if let layersPerBlock, !ConvEncoderConfig.layersPerBlockRange.contains(layersPerBlock) {
            throw ValidationError("--layers-per-block must be in \(ConvEncoderConfig.layersPerBlockRange)")
        }
    }

    func learningRate(default rate: Float) -> Float { learningRate ?? rate }

    /// The --init-from folder's `name`, deepened when --layers-per-block asks for more,
    /// or a fresh network of `defaultConfig` (with --layers-per-block applied).
    func network<Network: DiffusersComponent>(_ type: Network.Type, _ name: String, defaultConfig: ConvEncoderConfig,
                                              seed: UInt64) throws -> Network where Network.Config == ConvEncoderConfig {
        guard let trained = try initial.load(type, name) else {
            var config = defaultConfig
            if let layersPerBlock { config.layersPerBlock = layersPerBlock }
            return try Network(config: config, seed: seed)
        }
        guard let layersPerBlock, layersPerBlock != trained.config.layersPerBlock else { return trained }
        guard layersPerBlock > trained.config.layersPerBlock else {
            throw ValidationError("--layers-per-block \(layersPerBlock) is fewer than the --init-from \(name)'s \(trained.config.layersPerBlock); a network can be deepened, not cut")
        }
        TrainingConsole.note("deepened the --init-from \(name) to \(layersPerBlock) layers per block; the new residual units start as identities")
        return try trained.deepened(toLayersPerBlock: layersPerBlock)
    }
}
