/// Hair as shells around the cranium: a crown cut at a hairline that runs from the forehead to
/// above the ears, a back piece behind the ears down to the nape, and the volumes some styles
/// add (long curtains, a bun). Cut edges wander a little so hairlines are not ruler-straight.
enum HairShapes {
    static func ellipsoids(identity: HeadIdentity, cranium: Ellipsoid) -> [Ellipsoid] {
        let volume = identity.hairVolume
        switch identity.hairStyle {
        case .bald:
            return []
        case .short:
            let thickness = 0.035 * volume
            return [crown(cranium, thickness: thickness, hairline: 0.24, fall: 0.35, raggedness: 0.03),
                    back(cranium, thickness: thickness, raggedness: 0.03)]
        case .curly:
            // One thick crown falling steeply to the nape: a thick shell cut in two pieces would
            // show its hollow inside between them.
            return [crown(cranium, thickness: 0.1 * volume, hairline: 0.27, fall: 0.7, raggedness: 0.05, lift: 0.05 * volume)]
        case .bun:
            let bun = Ellipsoid(center: [0, 0.36, -0.36], radii: Vector3(repeating: 0.15 * volume), part: .hair)
            return [crown(cranium, thickness: 0.03 * volume, hairline: 0.26, fall: 0.35, raggedness: 0.015),
                    back(cranium, thickness: 0.03 * volume, raggedness: 0.015), bun]
        case .long:
            return [crown(cranium, thickness: 0.05 * volume, hairline: 0.24, fall: 0.75, raggedness: 0.02),
                    curtain(cranium, volume: volume)]
        }
    }

    /// The cranium grown by `thickness` (and raised by `lift` on top).
    private static func shell(_ cranium: Ellipsoid, thickness: Float, lift: Float, raggedness: Float) -> Ellipsoid {
        var hair = cranium
        hair.radii += Vector3(thickness, thickness + lift, thickness)
        hair.center.y += lift * 0.5
        hair.part = .hair
        hair.raggedness = raggedness
        return hair
    }

    /// The top of the head, kept above a plane that is at `hairline` on the forehead and falls
    /// by `fall` per unit toward the back.
    private static func crown(_ cranium: Ellipsoid, thickness: Float, hairline: Float, fall: Float,
                              raggedness: Float, lift: Float = 0) -> Ellipsoid {
        var hair = shell(cranium, thickness: thickness, lift: lift, raggedness: raggedness)
        let forehead = Vector3(0, hairline, cranium.center.z + cranium.radii.z)
        hair.clips = [.keeping(Vector3(0, 1, -fall).normalized, through: forehead)]
        return hair
    }

    /// The back of the head behind the ears, down to the nape.
    private static func back(_ cranium: Ellipsoid, thickness: Float, raggedness: Float) -> Ellipsoid {
        var hair = shell(cranium, thickness: thickness, lift: 0, raggedness: raggedness)
        hair.clips = [.keeping([0, 0, -1], through: [0, 0, -0.12]),
                      .keeping(Vector3(0, 1, 0.3).normalized, through: [0, -0.3, -0.3])]
        return hair
    }

    /// Long hair falling behind the ears to the shoulders, kept behind the cheeks.
    private static func curtain(_ cranium: Ellipsoid, volume: Float) -> Ellipsoid {
        Ellipsoid(center: [0, -0.22, -0.12],
                  radii: [cranium.radii.x + 0.07 * volume, 0.62, cranium.radii.z * 0.82],
                  clips: [.keeping([0, 0, -1], through: [0, 0, 0.06]), .keeping([0, -1, 0], through: [0, 0.15, 0])],
                  raggedness: 0.03, part: .hair)
    }
}
