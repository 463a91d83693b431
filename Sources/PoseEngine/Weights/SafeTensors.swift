/// The safetensors file format: an 8-byte little-endian header length N, N
/// bytes of UTF-8 JSON describing each tensor (dtype, shape, byte range) and
/// an optional `__metadata__` map of strings, then the raw tensor bytes.
///
/// Reading lives in `SafeTensors.read`, writing in `SafeTensors.write`.
public enum SafeTensors {
    /// Larger headers are refused before anything is allocated for them; the
    /// reference implementation uses the same bound.
    public static let maximumHeaderLength: UInt64 = 100_000_000

    /// The header key reserved for the string-to-string metadata map.
    public static let metadataKey = "__metadata__"

    /// Writers pad the header with spaces so the data section starts at a
    /// multiple of this many bytes.
    static let headerAlignment = 8
}
