import Foundation

/// The picture around the head: background, light and clothing. Changes per sample.
public struct SceneSetting: Sendable, Equatable, Codable {
    public var backgroundTop: Vector3
    public var backgroundBottom: Vector3
    /// Direction toward the light in camera space (+x right, +y up, +z toward the viewer).
    public var lightDirection: Vector3
    /// 0 = cool white light, 1 = warm light.
    public var lightWarmth: Float
    public var clothingColor: Vector3

    public init(backgroundTop: Vector3, backgroundBottom: Vector3, lightDirection: Vector3,
                lightWarmth: Float, clothingColor: Vector3) {
        self.backgroundTop = backgroundTop
        self.backgroundBottom = backgroundBottom
        self.lightDirection = lightDirection
        self.lightWarmth = lightWarmth
        self.clothingColor = clothingColor
    }

    /// A calm grey-blue studio backdrop lit from the upper left: the default for single renders.
    public static let studio = SceneSetting(backgroundTop: [0.72, 0.76, 0.82], backgroundBottom: [0.45, 0.49, 0.56],
                                            lightDirection: [-0.45, 0.55, 0.7], lightWarmth: 0.5,
                                            clothingColor: [0.25, 0.32, 0.5])

    /// Backgrounds of any hue, lights from the front hemisphere, clothing of any colour.
    public static func random(using generator: inout SeededGenerator) -> SceneSetting {
        let hue = generator.nextUniform()
        let saturation = uniform(0.05...0.55, &generator)
        let value = uniform(0.35...0.95, &generator)
        let top = hsv(hue, saturation, value)
        let bottom = hsv(hue + uniform(-0.12...0.12, &generator), saturation, value * uniform(0.55...1, &generator))
        let azimuth = uniform(-1.1...1.1, &generator)
        let elevation = uniform(-0.2...1.0, &generator)
        let light = Vector3(sin(azimuth) * cos(elevation), sin(elevation), cos(azimuth) * cos(elevation))
        let clothing = hsv(generator.nextUniform(), uniform(0.1...0.8, &generator), uniform(0.2...0.85, &generator))
        return SceneSetting(backgroundTop: top, backgroundBottom: bottom, lightDirection: light,
                            lightWarmth: generator.nextUniform(), clothingColor: clothing)
    }
}
