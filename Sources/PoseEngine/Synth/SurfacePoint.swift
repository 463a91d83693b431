/// What shading needs to know about the visible surface at one sample.
struct SurfacePoint {
    var albedo: Vector3
    /// Camera-space unit normal, facing the viewer.
    var normal: Vector3
    /// Strength and sharpness of the specular highlight.
    var gloss: Float
    var shininess: Float
    var part: HeadPart
}
