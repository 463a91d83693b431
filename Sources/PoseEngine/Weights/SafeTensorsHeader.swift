/// The validated content of a safetensors header: tensors in data order and
/// the metadata map.
///
/// Validation follows the reference reader and adds the checks it leaves to
/// its JSON library (duplicate names, a tensor named `__metadata__`).
struct SafeTensorsHeader {
    let entries: [SafeTensorsEntry]
    let metadata: [String: String]

    /// Parses and validates `bytes`, the header of a file whose data section
    /// is `dataSize` bytes long. Errors name `path`.
    init(bytes: [UInt8], dataSize: Int, path: String) throws(SafeTensorsError) {
        let checks = Checks(path: path)
        let members = try checks.topLevelMembers(of: bytes)
        var seen = Set<String>()
        var entries: [SafeTensorsEntry] = []
        var metadata: [String: String] = [:]
        for (name, value) in members {
            guard seen.insert(name).inserted else { throw checks.fail(.duplicateName(tensor: name)) }
            if name == SafeTensors.metadataKey {
                metadata = try checks.metadata(from: value)
            } else {
                entries.append(try checks.entry(named: name, from: value))
            }
        }
        entries.sort(by: Self.dataOrder)
        try checks.checkLayout(of: entries, dataSize: dataSize)
        self.entries = entries
        self.metadata = metadata
    }

    static func dataOrder(_ a: SafeTensorsEntry, _ b: SafeTensorsEntry) -> Bool {
        (a.dataOffsets.lowerBound, a.dataOffsets.upperBound) < (b.dataOffsets.lowerBound, b.dataOffsets.upperBound)
    }
}

/// The individual checks, each failing with an error that names the file.
private struct Checks {
    let path: String

    func fail(_ kind: SafeTensorsError.Kind) -> SafeTensorsError {
        SafeTensorsError(path: path, kind: kind)
    }

    /// The header's members, in file order with duplicates kept.
    func topLevelMembers(of bytes: [UInt8]) throws(SafeTensorsError) -> [(key: String, value: OrderedJSON)] {
        guard Self.isValidUTF8(bytes) else { throw fail(.headerNotUTF8) }
        let json: OrderedJSON
        do {
            json = try OrderedJSONParser.parse(bytes)
        } catch {
            throw fail(.malformedJSON(reason: error.reason))
        }
        guard case .object(let members) = json else {
            throw fail(.malformedJSON(reason: "the top level is \(json.typeName), not an object"))
        }
        return members
    }

    /// Strict UTF-8: no overlong forms, surrogates or truncated sequences.
    /// (`String(validating:)` would do, but needs newer OS versions than the
    /// package supports.)
    private static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    func metadata(from value: OrderedJSON) throws(SafeTensorsError) -> [String: String] {
        guard case .object(let members) = value else {
            throw fail(.malformedJSON(reason: "__metadata__ is \(value.typeName), not an object of strings"))
        }
        // A map of strings is metadata even if it happens to use the key
        // "dtype"; anything else with a tensor's fields is a tensor that took
        // the reserved name.
        let tensorKeys: Set<String> = ["dtype", "shape", "data_offsets"]
        let allStrings = members.allSatisfy { if case .string = $0.value { true } else { false } }
        if !allStrings, members.contains(where: { tensorKeys.contains($0.key) }) {
            throw fail(.reservedName)
        }
        var metadata: [String: String] = [:]
        for (key, value) in members {
            guard case .string(let text) = value else { throw fail(.metadataNotString(key: key)) }
            guard metadata.updateValue(text, forKey: key) == nil else {
                throw fail(.malformedJSON(reason: "__metadata__ has the key '\(key)' more than once"))
            }
        }
        return metadata
    }

    /// One tensor's description, checked on its own: fields present and
    /// typed, dtype supported, shape and byte range consistent.
    func entry(named name: String, from value: OrderedJSON) throws(SafeTensorsError) -> SafeTensorsEntry {
        guard case .object(let members) = value else {
            throw fail(.malformedEntry(tensor: name, reason: "the description is \(value.typeName), not an object"))
        }
        var fields: [String: OrderedJSON] = [:]
        for (key, value) in members {
            guard fields.updateValue(value, forKey: key) == nil else {
                throw fail(.malformedEntry(tensor: name, reason: "the key '\(key)' appears more than once"))
            }
        }
        guard let dtypeValue = fields["dtype"] else { throw fail(.malformedEntry(tensor: name, reason: "no 'dtype'")) }
        guard let shapeValue = fields["shape"] else { throw fail(.malformedEntry(tensor: name, reason: "no 'shape'")) }
        guard let offsetsValue = fields["data_offsets"] else { throw fail(.malformedEntry(tensor: name, reason: "no 'data_offsets'")) }

        guard case .string(let dtypeName) = dtypeValue else {
            throw fail(.malformedEntry(tensor: name, reason: "'dtype' is \(dtypeValue.typeName), not a string"))
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw fail(.unsupportedDType(tensor: name, dtype: dtypeName))
        }
        guard let shape = integers(shapeValue) else {
            throw fail(.malformedEntry(tensor: name, reason: "'shape' is not an array of 64-bit integers"))
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw fail(.negativeDimension(tensor: name, shape: shape)) }
        guard let offsets = integers(offsetsValue), offsets.count == 2 else {
            throw fail(.malformedEntry(tensor: name, reason: "'data_offsets' is not an array of two 64-bit integers"))
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end else {
            throw fail(.malformedEntry(tensor: name, reason: "'data_offsets' [\(begin), \(end)] is not a valid byte range"))
        }

        guard let byteLength = byteLength(of: shape, dtype: dtype) else {
            throw fail(.sizeOverflow(tensor: name, shape: shape))
        }
        guard byteLength == end - begin else {
            throw fail(.byteLengthMismatch(tensor: name, expected: byteLength, actual: end - begin))
        }
        return SafeTensorsEntry(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end)
    }

    private func integers(_ value: OrderedJSON) -> [Int]? {
        guard case .array(let elements) = value else { return nil }
        var result: [Int] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let integer = element.integer else { return nil }
            result.append(integer)
        }
        return result
    }

    /// Elements times element size, or nil when that overflows.
    private func byteLength(of shape: [Int], dtype: SafeTensorsDType) -> Int? {
        var total = dtype.byteSize
        for dimension in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }

    /// The byte ranges, sorted by offset, must tile the data section exactly: from 0,
    /// no gaps, no overlaps, ending at its last byte.
    func checkLayout(of entries: [SafeTensorsEntry], dataSize: Int) throws(SafeTensorsError) {
        var expectedBegin = 0
        for entry in entries {
            let begin = entry.dataOffsets.lowerBound
            if begin > expectedBegin {
                throw fail(.dataGap(tensor: entry.name, expectedBegin: expectedBegin, begin: begin))
            }
            if begin < expectedBegin {
                throw fail(.dataOverlap(tensor: entry.name, expectedBegin: expectedBegin, begin: begin))
            }
            expectedBegin = entry.dataOffsets.upperBound
            if expectedBegin > dataSize {
                throw fail(.dataPastEnd(tensor: entry.name, end: expectedBegin, dataSize: dataSize))
            }
        }
        if expectedBegin != dataSize {
            throw fail(.trailingBytes(dataEnd: expectedBegin, dataSize: dataSize))
        }
    }
}
