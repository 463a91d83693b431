extension DiffusersComponent where Config == ConvEncoderConfig {
    /// The same network with `layersPerBlock` convolutions per resolution: every
    /// parameter it has is copied over and the added residual units start as
    /// identities, so the deeper network computes exactly what this one does and
    /// training can go on from there with more capacity.
    public func deepened(toLayersPerBlock layersPerBlock: Int) throws -> Self {
        guard layersPerBlock >= config.layersPerBlock else {
            throw ModelConfigError.unsupported(model: String(describing: Self.self), problems: [
                "layers_per_block \(layersPerBlock) is fewer than the \(config.layersPerBlock) the weights were trained with"])
        }
        var deeper = config
        deeper.layersPerBlock = layersPerBlock
        let model = try Self(config: deeper, seed: 0)
        model.copyParameterValues(from: self)
        return model
    }
}
