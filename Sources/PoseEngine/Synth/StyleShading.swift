import Foundation

/// Turns a lit surface or the backdrop into a colour in one of the render styles.
struct StyleShading {
    let style: RenderStyle
    let light: Vector3
    let halfway: Vector3
    let lightColor: Vector3
    let backgroundTop: Vector3
    let backgroundBottom: Vector3
    let noise: ValueNoise
    /// Samples per image height, to size screen-space textures in pixels.
    let samplesPerUnit: Float
    let pixelsPerUnit: Float
    /// Direction of this picture's brush strokes.
    let strokeAngle: Float

    static let paper = Vector3(0.95, 0.93, 0.88)
    static let graphite = Vector3(0.2, 0.2, 0.23)
    static let ink = Vector3(0.05, 0.04, 0.05)

    init(scene: SynthScene, pixelsPerUnit: Float, samplesPerUnit: Float) {
        style = scene.style
        light = scene.setting.lightDirection.normalized
        halfway = (light + Vector3(0, 0, 1)).normalized
        lightColor = mix([0.92, 0.97, 1.06], [1.08, 0.98, 0.84], scene.setting.lightWarmth)
        backgroundTop = scene.setting.backgroundTop
        backgroundBottom = scene.setting.backgroundBottom
        noise = ValueNoise(seed: scene.textureSeed)
        self.pixelsPerUnit = pixelsPerUnit
        self.samplesPerUnit = samplesPerUnit
        strokeAngle = 0.4 + 0.8 * noise.lattice(11, 3, 5)
    }

    func color(of s: SurfacePoint, x: Float, y: Float) -> Vector3 {
        let facing = s.normal.dot(light)
        switch style {
        case .photo:
            let diffuse = max(0, (facing + 0.2) / 1.2)
            let ambient = 0.3 + 0.1 * s.normal.y
            let specular = s.gloss * powf(max(0, s.normal.dot(halfway)), s.shininess)
            return s.albedo * (ambient + 0.78 * diffuse * lightColor) + specular * 0.5 * lightColor
        case .cartoon:
            let lit = smoothstep(0.05, 0.15, facing)
            let flat = saturated(s.albedo, by: 1.3)
            let highlight = s.part == .leftEye || s.part == .rightEye ? 0.6 * smoothstep(0.9, 0.95, s.normal.dot(halfway)) : 0
            return flat * (0.7 + 0.32 * lit) + Vector3(repeating: highlight)
        case .sketch:
            // Graphite records light more than colour: dark skin is not drawn solid black.
            let brightness = (0.55 + 0.45 * luminance(s.albedo)) * (0.3 + 0.75 * max(0, facing))
            return Vector3(repeating: 0.1 + 0.95 * brightness)  // a tone: `finish` hatches it per sample
        case .painting:
            let diffuse = smoothstep(-0.3, 0.8, facing)
            let base = s.albedo * (0.42 + 0.7 * diffuse * lightColor)
            return brushed(base, x: x, y: y, strength: 0.12)
        }
    }

    func background(x: Float, y: Float) -> Vector3 {
        let t = min(max(0.5 - y, 0), 1)
        let gradient = mix(backgroundTop, backgroundBottom, t)
        switch style {
        case .photo:
            let vignette = 1 - 0.3 * (x * x + y * y)
            return gradient * vignette
        case .cartoon:
            return saturated(backgroundTop, by: 1.2) * 0.95 + 0.05
        case .sketch:
            return Vector3(repeating: 1 - 0.08 * noise.sample(x * 6, y * 6, layer: 9))
        case .painting:
            return brushed(gradient, x: x, y: y, strength: 0.35)
        }
    }

    /// Per-sample detail that must not be shaded once per pixel: sketch tones become hatching.
    func finish(_ shaded: Vector3, x: Float, y: Float) -> Vector3 {
        style == .sketch ? hatched(tone: shaded.x, x: x, y: y) : shaded
    }

    /// Graphite hatching: darker tones add a second, crossing layer of lines.
    private func hatched(tone: Float, x: Float, y: Float) -> Vector3 {
        let frequency = pixelsPerUnit / 2.2
        let first = abs(fract((x + y) * frequency) - 0.5) * 2
        let second = abs(fract((x - y) * frequency * 1.1) - 0.5) * 2
        let grain = noise.sample(x * samplesPerUnit * 0.5, y * samplesPerUnit * 0.5, layer: 4)
        var darkness: Float = 0
        darkness += (1 - smoothstep(0, 0.9, tone)) * (1 - smoothstep(0.25, 0.55, first)) * 0.9
        darkness += (1 - smoothstep(0, 0.55, tone)) * (1 - smoothstep(0.25, 0.55, second)) * 0.8
        darkness += 0.35 * (1 - min(tone, 1))
        darkness = min(1, darkness) * (0.8 + 0.2 * grain)
        return mix(Self.paper, Self.graphite, darkness)
    }

    /// Paint laid on in strokes: brightness and hue vary along stretched, tilted noise.
    private func brushed(_ color: Vector3, x: Float, y: Float, strength: Float) -> Vector3 {
        let c = cosf(strokeAngle), s = sinf(strokeAngle)
        let along = (x * c + y * s) * 9, across = (y * c - x * s) * 45
        let stroke = noise.sample(along, across, layer: 5) - 0.5
        let tint = Vector3(noise.sample(along, across, layer: 6), noise.sample(along, across, layer: 7),
                           noise.sample(along, across, layer: 8)) - 0.5
        let canvas = 0.04 * (abs(fract(x * pixelsPerUnit * 0.5) - 0.5) + abs(fract(y * pixelsPerUnit * 0.5) - 0.5))
        let quantized = (color * 9).rounded(.toNearestOrEven) / 9
        return mix(color, quantized, 0.5) * (1 + strength * stroke) + tint * strength * 0.35 - Vector3(repeating: canvas)
    }
}

@inline(__always)
func luminance(_ c: Vector3) -> Float {
    0.299 * c.x + 0.587 * c.y + 0.114 * c.z
}

@inline(__always)
func fract(_ v: Float) -> Float {
    v - v.rounded(.down)
}

func saturated(_ c: Vector3, by factor: Float) -> Vector3 {
    let grey = Vector3(repeating: luminance(c))
    return grey + (c - grey) * factor
}
