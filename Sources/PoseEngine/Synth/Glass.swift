/// What a spectacle lens does to the surface behind it: a faint tint and a sheen.
enum Glass {
    static func seenThrough(_ color: Vector3, style: RenderStyle) -> Vector3 {
        switch style {
        case .sketch:
            return color
        case .cartoon:
            return mix(color, Vector3(0.85, 0.92, 1), 0.15)
        case .photo, .painting:
            return color * Vector3(0.9, 0.94, 0.98) + Vector3(repeating: 0.04)
        }
    }
}
