/// Hair as shells around the cranium, cut at a hairline that runs from the forehead over the
/// temples to the nape, plus the volumes each style adds (long curtains, a bun).
enum HairShapes {
    static func ellipsoids(identity: HeadIdentity, cranium: Ellipsoid) -> [Ellipsoid] {
        let volume = identity.hairVolume
        switch identity.hairStyle {
        case .bald:
            return []
        case .short:
            return [shell(cranium, thickness: 0.035 * volume, hairline: 0.24, sideDrop: 0.6)]
        case .curly:
            return [shell(cranium, thickness: 0.11 * volume, hairline: 0.27, sideDrop: 0.5, extraHeight: 0.05 * volume)]
        case .bun:
            let bun = Ellipsoid(center: [0, 0.36, -0.36], radii: Vector3(repeating: 0.15 * volume), part: .hair)
            return [shell(cranium, thickness: 0.03 * volume, hairline: 0.26, sideDrop: 0.6), bun]
        case .long:
            return [shell(cranium, thickness: 0.05 * volume, hairline: 0.24, sideDrop: 0.75),
                    curtain(cranium, volume: volume)]
        }
    }

    /// A cranium-shaped shell `thickness` thicker, cut below a hairline plane that is at
    /// `hairline` on the forehead and falls by `sideDrop` per unit toward the back of the head.
    private static func shell(_ cranium: Ellipsoid, thickness: Float, hairline: Float, sideDrop: Float,
                              extraHeight: Float = 0) -> Ellipsoid {
        var hair = cranium
        hair.radii += Vector3(thickness, thickness + extraHeight, thickness)
        hair.center.y += extraHeight * 0.5
        hair.part = .hair
        let forehead = Vector3(0, hairline, cranium.center.z + cranium.radii.z)
        hair.clips = [.keeping(Vector3(0, 1, -sideDrop).normalized, through: forehead)]
        return hair
    }

    /// Long hair falling behind the ears to the shoulders, kept behind the cheeks.
    private static func curtain(_ cranium: Ellipsoid, volume: Float) -> Ellipsoid {
        Ellipsoid(center: [0, -0.22, -0.12],
                  radii: [cranium.radii.x + 0.07 * volume, 0.62, cranium.radii.z * 0.82],
                  clips: [.keeping([0, 0, -1], through: [0, 0, 0.06]), .keeping([0, -1, 0], through: [0, 0.15, 0])],
                  part: .hair)
    }
}
