import AtomicFiles

extension SafeTensors {
    /// Writes `tensors`, in the given order, as a safetensors file, atomically.
    ///
    /// Every tensor is stored as `dtype` (F16 and BF16 round to nearest even).
    /// Names must be unique and must not be `__metadata__`. A symbolic link at `path` is replaced,
    /// not written through: a model folder's weights may link into a store other models share.
    public static func write(
        _ tensors: [(name: String, tensor: Tensor)],
        to path: String,
        metadata: [String: String] = [:],
        dtype: SafeTensorsDType = .f32
    ) throws(SafeTensorsError) {
        func fail(_ kind: SafeTensorsError.Kind) -> SafeTensorsError {
            SafeTensorsError(path: path, kind: kind)
        }
        var seen = Set<String>()
        for (name, _) in tensors {
            guard name != metadataKey else { throw fail(.reservedName) }
            guard seen.insert(name).inserted else { throw fail(.duplicateName(tensor: name)) }
        }

        let header = headerBytes(for: tensors, metadata: metadata, dtype: dtype)
        do {
            let writer = try AtomicFileWriter(path: path, followingLinks: false)
            var length = UInt64(header.count).littleEndian
            try writer.write(withUnsafeBytes(of: &length) { Array($0) })
            try writer.write(header)
            for (_, tensor) in tensors {
                try writer.write(dtype.encode(tensor.scalars))
            }
            try writer.commit()
        } catch {
            throw fail(.unwritable(reason: error.reason))
        }
    }

    /// The JSON header, padded with spaces to a multiple of 8 bytes so that
    /// the data section starts aligned.
    static func headerBytes(
        for tensors: [(name: String, tensor: Tensor)],
        metadata: [String: String],
        dtype: SafeTensorsDType
    ) -> [UInt8] {
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }
                .map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            members.append("\(jsonString(metadataKey)):{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in tensors {
            let end = offset + tensor.count * dtype.byteSize
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            members.append(
                "\(jsonString(name)):{\"dtype\":\"\(dtype.name)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var bytes = Array("{\(members.joined(separator: ","))}".utf8)
        let padding = (headerAlignment - bytes.count % headerAlignment) % headerAlignment
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        return bytes
    }

    /// A JSON string literal; control characters, quotes and backslashes are escaped.
    static func jsonString(_ text: String) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            case "\t": literal += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                literal += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "\""
    }
}
