/// The element types PoseStudio reads from and writes to safetensors files.
///
/// Every type is converted to `Float` on load; other safetensors types
/// (integers, F64, 8-bit floats) are refused by name so that a file is never
/// misread.
public enum SafeTensorsDType: String, Sendable, CaseIterable, Codable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"

    /// Bytes per element on disk.
    public var byteSize: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        }
    }

    /// The largest magnitude stored without becoming infinity, for types narrower in range than
    /// `Float` (nil: `Float`'s own, as BF16 keeps its exponent).
    public var largestFinite: Float? {
        switch self {
        case .f16: 65504
        case .f32, .bf16: nil
        }
    }

    /// The spelling used in the header, e.g. "BF16".
    public var name: String { rawValue }

    /// "F32, F16 or BF16", for messages that say what is accepted.
    static let supportedList = allCases.map(\.name).joined(separator: ", ")
}

extension SafeTensorsDType {
    /// Decodes `count` little-endian elements starting at the beginning of `bytes`.
    func decode(_ bytes: UnsafeRawBufferPointer, count: Int) -> [Float] {
        precondition(bytes.count >= count * byteSize, "caller validated the byte range")
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch self {
            case .f32:
                for i in 0..<count {
                    let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
                    out[i] = Float(bitPattern: bits)
                }
            case .f16:
                for i in 0..<count {
                    let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
                    out[i] = HalfPrecision.float(fromHalfBits: bits)
                }
            case .bf16:
                for i in 0..<count {
                    let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
                    out[i] = HalfPrecision.float(fromBFloat16Bits: bits)
                }
            }
            initialized = count
        }
    }

    /// Encodes `values` as little-endian elements of this type.
    func encode(_ values: [Float]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: values.count * byteSize)
        bytes.withUnsafeMutableBytes { out in
            switch self {
            case .f32:
                for (i, value) in values.enumerated() {
                    out.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
                }
            case .f16:
                for (i, value) in values.enumerated() {
                    out.storeBytes(of: HalfPrecision.halfBits(from: value).littleEndian, toByteOffset: i * 2, as: UInt16.self)
                }
            case .bf16:
                for (i, value) in values.enumerated() {
                    out.storeBytes(of: HalfPrecision.bfloat16Bits(from: value).littleEndian, toByteOffset: i * 2, as: UInt16.self)
                }
            }
        }
        return bytes
    }
}
