extension ParameterVisitable {
    /// A 64-bit FNV-1a hash of every parameter's name and exact float bits, in hex: it tells
    /// apart two modules whose weights differ anywhere, so a cache derived from a module can
    /// tell when it was made by other weights.
    public var weightsFingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        visitParameters { name, parameter in
            for byte in name.utf8 { mix(byte) }
            for value in parameter.value.scalars {
                let bits = value.bitPattern
                for shift in stride(from: 0, to: 32, by: 8) { mix(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
            }
        }
        return String(hash, radix: 16)
    }
}
