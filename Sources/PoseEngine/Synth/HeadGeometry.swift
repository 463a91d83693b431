/// The 3D shapes of one person with one expression, in head space: head height 1 from the chin
/// (y = -0.5) to the crown (y = +0.5), origin midway, +z out of the face, +x the head's left.
struct HeadGeometry: Sendable {
    var ellipsoids: [Ellipsoid] = []
    var lenses: [LensDisc] = []
    var face: FaceLayout

    /// The cranium and jaw are sized so that crown and chin always sit at +-0.5: the labelled
    /// scale is exact for every identity.
    init(identity: HeadIdentity, expression: Expression) {
        let cranium = Ellipsoid(center: [0, 0.08, -0.05], radii: [0.34 * identity.headWidth, 0.42, 0.44 * identity.headDepth],
                                part: .cranium)
        let jawHeight = 0.32 * identity.chinLength
        let jaw = Ellipsoid(center: [0, -0.5 + jawHeight, 0.02], radii: [0.29 * identity.jawWidth, jawHeight, 0.37 * identity.headDepth],
                            part: .jaw)
        // The chin juts out of the round jaw, so profiles have a chin; its bottom is the chin line.
        let chinRadii = Vector3(0.13 * identity.jawWidth, 0.14, 0.09)
        let chinCenterY = -0.5 + chinRadii.y
        let chin = Ellipsoid(center: [0, chinCenterY, Self.frontSurface(of: jaw, x: 0, y: chinCenterY) - 0.085],
                             radii: chinRadii, part: .jaw)
        let eyeRadius = 0.055 * identity.eyeSize
        let eyeOffset = 0.125 * identity.eyeSpacing
        let eyeHeight: Float = 0.0
        let faceFront = Self.frontSurface(of: cranium, x: eyeOffset, y: eyeHeight)
        let noseTip = Vector3(0, -0.04 - 0.13 * identity.noseLength, faceFront + 0.04 + 0.07 * identity.noseLength)
        face = FaceLayout(
            eyeHeight: eyeHeight, eyeOffset: eyeOffset, eyeRadius: eyeRadius,
            browHeight: eyeHeight + 0.085, browHalfWidth: 0.06, browThickness: 0.011 * identity.browThickness,
            mouthHeight: -0.3 + 0.02 * (identity.chinLength - 1), mouthHalfWidth: 0.08 * identity.mouthWidth,
            upperLip: 0.016 * identity.lipFullness, lowerLip: 0.022 * identity.lipFullness,
            smileLift: 0.035 * expression.smile, mouthOpening: max(0, expression.smile - 0.45) * 0.035,
            noseTip: noseTip, noseWidth: identity.noseWidth, beard: identity.beard)

        ellipsoids = [cranium, jaw, chin]
        ellipsoids += Self.nose(tip: noseTip, bridgeTop: [0, eyeHeight + 0.01, faceFront - 0.01], width: identity.noseWidth)
        ellipsoids += Self.eyes(face: face, front: faceFront, openness: expression.eyeOpenness)
        ellipsoids += Self.ears(identity: identity, cranium: cranium)
        ellipsoids += Self.body()
        ellipsoids += HairShapes.ellipsoids(identity: identity, cranium: cranium)
        if identity.beard {
            ellipsoids.append(Self.beard(jaw: jaw, mouthHeight: face.mouthHeight, volume: identity.hairVolume))
        }
        if identity.glasses {
            let frame = Spectacles(face: face, front: faceFront, headHalfWidth: cranium.radii.x)
            ellipsoids += frame.ellipsoids
            lenses = frame.lenses
        }
    }

    /// The z of the ellipsoid's front surface above (x, y), or its centre z if (x, y) misses it.
    static func frontSurface(of e: Ellipsoid, x: Float, y: Float) -> Float {
        let dx = (x - e.center.x) / e.radii.x
        let dy = (y - e.center.y) / e.radii.y
        return e.center.z + e.radii.z * max(0, 1 - dx * dx - dy * dy).squareRoot()
    }

    private static func nose(tip: Vector3, bridgeTop: Vector3, width: Float) -> [Ellipsoid] {
        let tipRadius = 0.036 * width
        let bridge = Ellipsoid.along(from: bridgeTop, to: tip - Vector3(0, 0, tipRadius * 0.6),
                                     across: 0.03 * width, deep: 0.055, part: .nose)
        let wingOffset = 0.034 * width
        let wingCenter = tip + Vector3(0, -0.004, -0.045)
        return [
            bridge,
            Ellipsoid(center: tip, radii: [tipRadius, tipRadius * 0.95, tipRadius], part: .nose),
            Ellipsoid(center: wingCenter + Vector3(wingOffset, 0, 0), radii: [0.024 * width, 0.022, 0.03], part: .nose),
            Ellipsoid(center: wingCenter - Vector3(wingOffset, 0, 0), radii: [0.024 * width, 0.022, 0.03], part: .nose),
        ]
    }

    /// Eyeballs set into the face, each with an upper and a lower lid: shells slightly larger than
    /// the ball, cut by planes tilted back so the opening is almond shaped.
    private static func eyes(face: FaceLayout, front: Float, openness: Float) -> [Ellipsoid] {
        var shapes: [Ellipsoid] = []
        let r = face.eyeRadius
        for (side, part) in [(Float(1), HeadPart.leftEye), (Float(-1), HeadPart.rightEye)] {
            let center = Vector3(side * face.eyeOffset, face.eyeHeight, front - 0.75 * r)
            shapes.append(Ellipsoid(center: center, radii: [r, r, r], part: part))
            let lidRadius = r * 1.1
            let upperEdge = center + Vector3(0, r * (0.05 + 0.4 * openness), 0)
            let lowerEdge = center - Vector3(0, r * 0.42, 0)
            shapes.append(Ellipsoid(center: center, radii: [lidRadius, lidRadius, lidRadius],
                                    clips: [.keeping(Vector3(0, 1, -0.55).normalized, through: upperEdge)], part: .eyelid))
            shapes.append(Ellipsoid(center: center, radii: [lidRadius, lidRadius * 0.95, lidRadius],
                                    clips: [.keeping(Vector3(0, -1, -0.6).normalized, through: lowerEdge)], part: .eyelid))
        }
        return shapes
    }

    private static func ears(identity: HeadIdentity, cranium: Ellipsoid) -> [Ellipsoid] {
        let size = identity.earSize
        let y: Float = -0.045
        let dy = (y - cranium.center.y) / cranium.radii.y
        let sideX = cranium.radii.x * (1 - dy * dy).squareRoot() - 0.01
        return [(Float(1), HeadPart.leftEar), (Float(-1), HeadPart.rightEar)].map { side, part in
            // Ears flare out toward the back and lean back at the top.
            let orientation = Matrix3.rotationY(side * 0.45) * Matrix3.rotationX(-0.2)
            return Ellipsoid(center: [side * sideX, y, -0.05], radii: [0.028, 0.1 * size, 0.058 * size],
                             orientation: orientation, part: part)
        }
    }

    /// Neck and shoulders, posed with the body frame so the head turns on them.
    private static func body() -> [Ellipsoid] {
        [
            Ellipsoid(center: [0, -0.6, -0.07], radii: [0.2, 0.42, 0.2], part: .neck, frame: .body),
            Ellipsoid(center: [0, -1.5, -0.1], radii: [0.92, 0.72, 0.36], part: .torso, frame: .body),
        ]
    }

    /// A full beard: a shell over the jaw, kept below the mouth corners and in front of the ears.
    private static func beard(jaw: Ellipsoid, mouthHeight: Float, volume: Float) -> Ellipsoid {
        var shell = jaw
        shell.radii = jaw.radii + Vector3(0.02, 0.03, 0.07) * volume
        shell.raggedness = 0.035
        shell.center.y -= 0.03
        shell.part = .beard
        shell.clips = [
            .keeping([0, -1, -0.6], through: [0, mouthHeight - 0.03, 0.4]),
            .keeping([0, 0, 1], through: [0, 0, jaw.center.z - 0.12]),
        ]
        return shell
    }
}
