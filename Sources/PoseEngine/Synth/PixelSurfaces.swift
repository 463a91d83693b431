/// The distinct surfaces among one pixel's samples: which samples show which surface, and the
/// summed sample positions per surface so each is shaded once at its mean position.
struct PixelSurfaces {
    private(set) var ids: [UInt8]
    private var sums: [Vector3]
    private var counts: [Int]
    var colors: [Vector3]
    private(set) var count = 0
    /// Per sample of the pixel: its buffer index and the surface slot it belongs to.
    private(set) var samples: [Int]
    private(set) var slots: [Int]
    private(set) var sampleCount = 0

    init(capacity: Int) {
        ids = [UInt8](repeating: 0, count: capacity)
        sums = [Vector3](repeating: .zero, count: capacity)
        counts = [Int](repeating: 0, count: capacity)
        colors = [Vector3](repeating: .zero, count: capacity)
        samples = [Int](repeating: 0, count: capacity)
        slots = [Int](repeating: 0, count: capacity)
    }

    mutating func removeAll() {
        count = 0
        sampleCount = 0
    }

    mutating func add(sample: Int, id: UInt8, x: Float, y: Float, z: Float) {
        var slot = 0
        while slot < count && ids[slot] != id { slot += 1 }
        if slot == count {
            ids[slot] = id
            sums[slot] = .zero
            counts[slot] = 0
            count += 1
        }
        // Background samples have no depth: keep the sum finite.
        sums[slot] += Vector3(x, y, z.isFinite ? z : 0)
        counts[slot] += 1
        samples[sampleCount] = sample
        slots[sampleCount] = slot
        sampleCount += 1
    }

    func meanPosition(_ slot: Int) -> (Float, Float, Float) {
        let mean = sums[slot] / Float(counts[slot])
        return (mean.x, mean.y, mean.z)
    }
}
