/// Smooth value noise from integer hashing: deterministic for a seed on every platform and
/// independent of evaluation order, so textures do not depend on the thread count.
struct ValueNoise: Sendable {
    let seed: UInt64

    /// A value in [0, 1) for an integer lattice point.
    @inline(__always)
    func lattice(_ x: Int32, _ y: Int32, _ z: Int32 = 0) -> Float {
        var h = seed &+ UInt64(UInt32(bitPattern: x)) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(UInt32(bitPattern: y)) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= UInt64(UInt32(bitPattern: z)) &* 0x1656_67B1_9E37_79F9
        h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 29)) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 32
        return Float(h & 0xFF_FFFF) * (1 / Float(1 << 24))
    }

    /// Bilinear noise with smooth steps between lattice points, in [0, 1).
    @inline(__always)
    func sample(_ x: Float, _ y: Float, layer: Int32 = 0) -> Float {
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let ix = Int32(clamping: Int(fx)), iy = Int32(clamping: Int(fy))
        let tx = smooth(x - fx), ty = smooth(y - fy)
        let a = lattice(ix, iy, layer), b = lattice(ix &+ 1, iy, layer)
        let c = lattice(ix, iy &+ 1, layer), d = lattice(ix &+ 1, iy &+ 1, layer)
        let top = a + (b - a) * tx
        let bottom = c + (d - c) * tx
        return top + (bottom - top) * ty
    }

    @inline(__always)
    private func smooth(_ t: Float) -> Float { t * t * (3 - 2 * t) }
}

@inline(__always)
func smoothstep(_ edge0: Float, _ edge1: Float, _ x: Float) -> Float {
    let t = min(max((x - edge0) / (edge1 - edge0), 0), 1)
    return t * t * (3 - 2 * t)
}

@inline(__always)
func mix(_ a: Vector3, _ b: Vector3, _ t: Float) -> Vector3 {
    a + (b - a) * t
}
