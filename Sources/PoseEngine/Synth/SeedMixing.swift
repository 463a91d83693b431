/// Derives independent seeds for the parts of a dataset (identities, samples, textures) from
/// one user seed, so any sample can be made alone, in any order, on any thread.
enum SeedMixing {
    enum Stream: UInt64 {
        case identity = 1
        case sample = 2
        case texture = 3
    }

    static func seed(_ base: UInt64, _ stream: Stream, _ index: Int) -> UInt64 {
        var generator = SeededGenerator(seed: base ^ (stream.rawValue &* 0xA24B_AED4_963E_E407))
        let first = generator.next()
        var mixed = SeededGenerator(seed: first ^ (UInt64(bitPattern: Int64(index)) &* 0x9FB2_1C65_1E98_DF25))
        return mixed.next()
    }
}
