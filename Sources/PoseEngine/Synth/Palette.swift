/// Named colours of the world. Colours are sRGB values in [0, 1]; names are prompt words.
public enum HairColor: String, Sendable, Codable, CaseIterable {
    case black, brown, blond, red, grey

    var rgb: Vector3 {
        switch self {
        case .black: return [0.07, 0.06, 0.06]
        case .brown: return [0.32, 0.19, 0.10]
        case .blond: return [0.86, 0.70, 0.42]
        case .red: return [0.62, 0.22, 0.08]
        case .grey: return [0.66, 0.65, 0.63]
        }
    }
}

public enum EyeColor: String, Sendable, Codable, CaseIterable {
    case brown, blue, green, grey

    var rgb: Vector3 {
        switch self {
        case .brown: return [0.35, 0.20, 0.09]
        case .blue: return [0.25, 0.48, 0.78]
        case .green: return [0.30, 0.55, 0.32]
        case .grey: return [0.55, 0.60, 0.64]
        }
    }
}

/// Skin from very light (0) to very dark (1), interpolated through measured-looking anchors.
enum SkinTone {
    private static let anchors: [Vector3] = [
        [0.98, 0.85, 0.76], [0.94, 0.76, 0.63], [0.85, 0.63, 0.47],
        [0.70, 0.49, 0.33], [0.52, 0.35, 0.23], [0.34, 0.22, 0.15],
    ]

    static func rgb(_ tone: Float) -> Vector3 {
        let position = min(max(tone, 0), 1) * Float(anchors.count - 1)
        let lower = min(Int(position), anchors.count - 2)
        let t = position - Float(lower)
        return anchors[lower] * (1 - t) + anchors[lower + 1] * t
    }
}

/// A colour from hue (0..1, wrapping), saturation and value.
func hsv(_ hue: Float, _ saturation: Float, _ value: Float) -> Vector3 {
    let h = (hue - hue.rounded(.down)) * 6
    let sector = Int(h) % 6
    let f = h - Float(Int(h))
    let p = value * (1 - saturation)
    let q = value * (1 - saturation * f)
    let t = value * (1 - saturation * (1 - f))
    switch sector {
    case 0: return [value, t, p]
    case 1: return [q, value, p]
    case 2: return [p, value, t]
    case 3: return [p, q, value]
    case 4: return [t, p, value]
    default: return [value, p, q]
    }
}
