/// Where the painted-on features of a face sit, in head space: brows, lips, nostrils.
/// Shading reads these to colour the skin; occlusion comes from the geometry they lie on.
struct FaceLayout: Sendable {
    var eyeHeight: Float
    var eyeOffset: Float
    var eyeRadius: Float
    var browHeight: Float
    var browHalfWidth: Float
    var browThickness: Float
    var mouthHeight: Float
    var mouthHalfWidth: Float
    var upperLip: Float
    var lowerLip: Float
    /// How far the mouth corners rise, in head units, and how far the lips part.
    var smileLift: Float
    var mouthOpening: Float
    var noseTip: Vector3
    var noseWidth: Float
    var beard: Bool
}
