/// Paintings displace every sample by a smooth random offset, so edges wobble like brushwork.
struct PaintJitter {
    let amplitude: Float
    private let noise: ValueNoise
    private let wavelength: Float

    /// Nil for styles other than painting.
    init?(scene: SynthScene, pixelsPerUnit: Float, samplesPerPixel: Int) {
        guard scene.style == .painting else { return nil }
        amplitude = 1.3 / pixelsPerUnit
        noise = ValueNoise(seed: scene.textureSeed ^ 0xB205)
        wavelength = Float(samplesPerPixel) * 2.5
    }

    func offset(column: Int, row: Int) -> (Float, Float) {
        let x = Float(column) / wavelength, y = Float(row) / wavelength
        return ((noise.sample(x, y, layer: 1) - 0.5) * 2 * amplitude,
                (noise.sample(x, y, layer: 2) - 0.5) * 2 * amplitude)
    }
}
