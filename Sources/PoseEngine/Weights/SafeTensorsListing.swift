import Foundation

/// What `posestudio inspect` shows of a safetensors file: each tensor's name,
/// dtype and shape, the total parameter count and the metadata.
public struct SafeTensorsListing: Sendable, Equatable, Encodable {
    public struct TensorLine: Sendable, Equatable, Encodable {
        public let name: String
        public let dtype: String
        public let shape: [Int]
    }

    public let file: String
    public let tensors: [TensorLine]
    public let parameterCount: Int
    public let metadata: [String: String]

    enum CodingKeys: String, CodingKey {
        case file, tensors, metadata
        case parameterCount = "parameter_count"
    }

    public init(_ archive: SafeTensorsArchive) {
        file = archive.path
        tensors = archive.entries.map { TensorLine(name: $0.name, dtype: $0.dtype.name, shape: $0.shape) }
        parameterCount = archive.parameterCount
        metadata = archive.metadata
    }

    /// Aligned columns, metadata first and the totals last.
    public var text: String {
        var lines: [String] = []
        if !metadata.isEmpty {
            lines.append("metadata:")
            for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(key): \(value)")
            }
        }
        let nameWidth = tensors.map(\.name.count).max() ?? 0
        for tensor in tensors {
            let name = tensor.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let dtype = tensor.dtype.padding(toLength: 4, withPad: " ", startingAt: 0)
            lines.append("\(name)  \(dtype)  \(tensor.shape)")
        }
        let noun = tensors.count == 1 ? "tensor" : "tensors"
        lines.append("\(tensors.count) \(noun), \(parameterCount) parameters")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Pretty-printed JSON with sorted keys: file, metadata, parameter_count,
    /// tensors [{name, dtype, shape}].
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, integers and arrays of them cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
