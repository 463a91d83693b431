import Foundation

/// Colours the visible surface of a head: skin with painted-on features (brows, lips,
/// nostrils, eye sockets), eyes with iris and pupil, lids with lash lines, hair, clothing.
struct SurfaceShader {
    let shapes: [ProjectedEllipsoid]
    let face: FaceLayout
    /// Camera -> head space: p_head = toHead * (p - headCenter) / scale.
    let toHead: Matrix3
    let headCenter: Vector3
    let scale: Float
    let lensNormal: Vector3
    let skin: Vector3
    let lips: Vector3
    let hair: Vector3
    let brows: Vector3
    let iris: Vector3
    let clothing: Vector3
    let curlyHair: Bool
    let noise: ValueNoise
    /// Shapes whose shading normals blend where they meet, so the face reads as one smooth surface.
    let blended: [Int]
    let isBlended: [Bool]

    init(shapes: [ProjectedEllipsoid], geometry: HeadGeometry, scene: SynthScene, rotation: Matrix3,
         headCenter: Vector3, scale: Float) {
        let identity = scene.identity
        self.shapes = shapes
        face = geometry.face
        toHead = rotation.transposed
        self.headCenter = headCenter
        self.scale = scale
        lensNormal = (rotation * Vector3(0, 0.12, 1)).normalized
        skin = SkinTone.rgb(identity.skinTone)
        // Lips: the skin pushed toward a muted red, less so on dark skin.
        lips = mix(skin, Vector3(0.7, 0.28, 0.3) * (1.05 - 0.55 * identity.skinTone), 0.6)
        hair = identity.hairColor.rgb * identity.hairShade
        brows = mix(hair, Vector3(0.12, 0.09, 0.07), identity.hairColor == .blond || identity.hairColor == .grey ? 0.45 : 0.1)
        iris = identity.eyeColor.rgb
        clothing = scene.setting.clothingColor
        curlyHair = identity.hairStyle == .curly
        noise = ValueNoise(seed: scene.textureSeed ^ 0x5EED)
        blended = shapes.indices.filter { [.cranium, .jaw, .nose].contains(shapes[$0].part) }
        isBlended = shapes.map { [.cranium, .jaw, .nose].contains($0.part) }
    }

    /// The surface at camera point (x, y, z) of the primitive with list index `index`.
    func surface(index: Int, x: Float, y: Float, z: Float) -> SurfacePoint {
        let shape = shapes[index]
        let u = shape.unitPoint(x: x, y: y, z: z)
        var normal = isBlended[index] ? blendedNormal(x: x, y: y, z: z) : shape.normal(at: u)
        if normal.z < 0 { normal = -normal }  // the inside of a cut shell faces us
        let head = toHead * ((Vector3(x, y, z) - headCenter) / scale)
        switch shape.part {
        case .cranium, .jaw: return skinSurface(head, normal: normal, part: shape.part)
        case .nose: return SurfacePoint(albedo: noseColor(head, normal: normal), normal: normal, gloss: 0.18, shininess: 20, part: .nose)
        case .leftEye, .rightEye: return eyeSurface(u, normal: normal, part: shape.part)
        case .eyelid: return SurfacePoint(albedo: lidColor(shape, u: u), normal: normal, gloss: 0.15, shininess: 16, part: .eyelid)
        case .leftEar, .rightEar: return SurfacePoint(albedo: earColor(u, part: shape.part), normal: normal, gloss: 0.1, shininess: 12, part: shape.part)
        case .neck:
            let underJaw = smoothstep(-0.7, -0.45, head.y)
            return SurfacePoint(albedo: skin * (0.92 - 0.25 * underJaw), normal: normal, gloss: 0.05, shininess: 10, part: .neck)
        case .torso:
            let fold = 0.9 + 0.2 * noise.sample(x * 9 / scale, y * 3 / scale, layer: 7)
            return SurfacePoint(albedo: clothing * fold, normal: normal, gloss: 0.05, shininess: 8, part: .torso)
        case .hair, .beard: return hairSurface(head, normal: normal, part: shape.part)
        case .glasses, .background:
            return SurfacePoint(albedo: [0.1, 0.08, 0.07], normal: normal, gloss: 0.6, shininess: 40, part: .glasses)
        }
    }

    /// The opaque ring of a lens, facing where the lens faces.
    func lensRim() -> SurfacePoint {
        SurfacePoint(albedo: [0.1, 0.08, 0.07], normal: lensNormal.z < 0 ? -lensNormal : lensNormal,
                     gloss: 0.6, shininess: 40, part: .glasses)
    }

    /// The normals of the blended shapes near the point, weighted by how close the point is to
    /// each surface (the implicit value |u|^2 - 1 is 0 on it): a smooth union for shading.
    private func blendedNormal(x: Float, y: Float, z: Float) -> Vector3 {
        var sum = Vector3.zero
        for index in blended {
            let u = shapes[index].unitPoint(x: x, y: y, z: z)
            let closeness = max(0, 1 - (u.dot(u) - 1) / 0.35)
            sum += closeness * closeness * shapes[index].normal(at: u)
        }
        return sum.normalized
    }

    private func skinSurface(_ p: Vector3, normal: Vector3, part: HeadPart) -> SurfacePoint {
        var color = skin
        if p.z > 0.05 {
            color *= 1 - 0.14 * socketShadow(p)
            color = mix(color, lips, lipCoverage(p))
            color = mix(color, Vector3(0.12, 0.04, 0.04), mouthInteriorCoverage(p))
            color = mix(color, Vector3(0.92, 0.9, 0.84), teethCoverage(p))
            color = mix(color, brows, browCoverage(p))
            if face.beard { color = mix(color, hair * 0.85, moustacheCoverage(p)) }
        }
        return SurfacePoint(albedo: color, normal: normal, gloss: 0.22, shininess: 18, part: part)
    }

    private func socketShadow(_ p: Vector3) -> Float {
        let dx = abs(p.x) - face.eyeOffset
        let dy = p.y - face.eyeHeight - 0.01
        let d = (dx * dx + dy * dy).squareRoot() / face.eyeRadius
        return 1 - smoothstep(1.0, 1.9, d)
    }

    /// The centre line of the mouth at p.x (corners lift with a smile), and how far p.x is
    /// toward a corner (0 centre, 1 corner).
    private func mouthLine(_ p: Vector3) -> (center: Float, across: Float) {
        let across = abs(p.x) / face.mouthHalfWidth
        return (face.mouthHeight + face.smileLift * across * across, across)
    }

    private func lipCoverage(_ p: Vector3) -> Float {
        let (center, across) = mouthLine(p)
        guard across < 1 else { return 0 }
        let taper = (1 - across * across).squareRoot()
        let dy = p.y - center
        let halfOpen = face.mouthOpening * 0.5 * taper
        let edge: Float = 0.003
        let upper = smoothstep(halfOpen - edge, halfOpen, dy) * (1 - smoothstep(halfOpen + face.upperLip * taper, halfOpen + face.upperLip * taper + edge, dy))
        let lower = smoothstep(-halfOpen - face.lowerLip * taper - edge, -halfOpen - face.lowerLip * taper, dy) * (1 - smoothstep(-halfOpen, -halfOpen + edge, dy))
        return max(upper, lower)
    }

    /// The dark parting line of a closed mouth, or the inside of an open one.
    private func mouthInteriorCoverage(_ p: Vector3) -> Float {
        let (center, across) = mouthLine(p)
        guard across < 1.05 else { return 0 }
        let taper = max(0, 1 - across * across).squareRoot()
        let halfOpen = max(face.mouthOpening * 0.5 * taper, 0.0035 * taper)
        return 1 - smoothstep(halfOpen * 0.7, halfOpen + 0.002, abs(p.y - center))
    }

    private func teethCoverage(_ p: Vector3) -> Float {
        guard face.mouthOpening > 0.004 else { return 0 }
        let (center, across) = mouthLine(p)
        guard across < 0.75 else { return 0 }
        let taper = (1 - across * across).squareRoot()
        let halfOpen = face.mouthOpening * 0.5 * taper
        let dy = p.y - center
        return smoothstep(-halfOpen * 0.1, halfOpen * 0.2, dy) * (1 - smoothstep(halfOpen * 0.75, halfOpen, dy))
    }

    private func browCoverage(_ p: Vector3) -> Float {
        let across = (abs(p.x) - face.eyeOffset - 0.008) / face.browHalfWidth
        guard abs(across) < 1.1 else { return 0 }
        let center = face.browHeight + 0.014 * (1 - across * across) - 0.006 * across
        let half = face.browThickness * (1 - 0.45 * across * across)
        let along = 1 - smoothstep(0.9, 1.1, abs(across))
        return along * (1 - smoothstep(half, half + 0.004, abs(p.y - center)))
    }

    private func moustacheCoverage(_ p: Vector3) -> Float {
        let (center, _) = mouthLine(p)
        let bottom = center + face.mouthOpening * 0.5 + face.upperLip * 0.6
        let top = face.noseTip.y - 0.03
        let width = face.mouthHalfWidth + 0.012
        guard abs(p.x) < width + 0.01 else { return 0 }
        let vertical = smoothstep(bottom - 0.003, bottom + 0.003, p.y) * (1 - smoothstep(top - 0.004, top, p.y))
        return vertical * (1 - smoothstep(width - 0.01, width, abs(p.x)))
    }

    private func noseColor(_ p: Vector3, normal: Vector3) -> Vector3 {
        let headNormal = toHead * normal
        let nostrilX = 0.02 * face.noseWidth
        let dx = (abs(p.x) - nostrilX) / (0.012 * face.noseWidth)
        let dy = (p.y - face.noseTip.y + 0.024) / 0.008
        let facingDown = smoothstep(-0.2, -0.55, headNormal.y)
        let nostril = (1 - smoothstep(0.7, 1.0, dx * dx + dy * dy)) * facingDown
        return mix(skin * 1.02, skin * 0.3, nostril)
    }

    /// Sclera, iris with a dark rim, pupil and a wet highlight, by angle from the gaze (local +z).
    private func eyeSurface(_ u: Vector3, normal: Vector3, part: HeadPart) -> SurfacePoint {
        let c = u.z
        let irisEdge = smoothstep(0.79, 0.81, c)
        let pupilEdge = smoothstep(0.955, 0.965, c)
        let limbus = smoothstep(0.79, 0.86, c)
        var color = mix(Vector3(0.9, 0.88, 0.85), Vector3(0.94, 0.93, 0.9), smoothstep(0.3, 0.8, c))
        color = mix(color, mix(iris * 0.55, iris, limbus), irisEdge)
        color = mix(color, Vector3(0.03, 0.03, 0.03), pupilEdge)
        return SurfacePoint(albedo: color, normal: normal, gloss: 0.9, shininess: 60, part: part)
    }

    private func lidColor(_ shape: ProjectedEllipsoid, u: Vector3) -> Vector3 {
        guard let distance = shape.distanceInsideFirstCut(u), let plane = shape.firstClip else { return skin }
        let isUpper = plane.normal.y < 0
        let lash = 1 - smoothstep(isUpper ? 0.008 : 0.002, isUpper ? 0.014 : 0.006, distance)
        return mix(skin * 0.94, Vector3(0.08, 0.06, 0.05), lash * (isUpper ? 1 : 0.5))
    }

    private func earColor(_ u: Vector3, part: HeadPart) -> Vector3 {
        let side: Float = part == .leftEar ? 1 : -1
        let bowl = (u.y * u.y + u.z * u.z).squareRoot()
        let inner = smoothstep(0, 0.3, side * u.x) * (1 - smoothstep(0.45, 0.65, bowl))
        return mix(skin * 0.97, skin * 0.62, inner)
    }

    /// Hair with strands that run from the crown down, or tight curls for curly hair.
    private func hairSurface(_ p: Vector3, normal: Vector3, part: HeadPart) -> SurfacePoint {
        let strands: Float
        if part == .beard || curlyHair {
            strands = noise.sample(p.x * 70 + p.z * 30, p.y * 70, layer: 3)
        } else {
            let around = atan2f(p.x, p.z)
            strands = 0.6 * noise.sample(around * 28, p.y * 3, layer: 1) + 0.4 * noise.sample(around * 70, p.y * 6, layer: 2)
        }
        let base = part == .beard ? hair * 0.85 : hair
        return SurfacePoint(albedo: base * (0.72 + 0.56 * strands), normal: normal,
                            gloss: 0.25, shininess: 14, part: part)
    }
}
