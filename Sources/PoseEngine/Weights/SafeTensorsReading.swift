extension SafeTensors {
    /// Opens and validates a safetensors file: the header is read and checked
    /// in full, tensor data is read only when asked for.
    public static func read(_ path: String) throws(SafeTensorsError) -> SafeTensorsArchive {
        func fail(_ kind: SafeTensorsError.Kind) -> SafeTensorsError {
            SafeTensorsError(path: path, kind: kind)
        }
        let file: ReadOnlyFile
        do {
            file = try ReadOnlyFile(path: path)
        } catch {
            throw fail(.unreadable(reason: error.reason))
        }
        guard file.size >= 8 else { throw fail(.fileTooSmall(size: file.size)) }

        let lengthBytes = try readBytes(file, count: 8, at: 0, path: path)
        let headerLength = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= maximumHeaderLength else { throw fail(.headerTooLarge(length: headerLength)) }
        // Both operands are bounded (file size and 1e8), so this cannot overflow.
        let dataStart = 8 + Int(headerLength)
        guard dataStart <= file.size else {
            throw fail(.headerPastEnd(length: headerLength, fileSize: file.size))
        }

        let headerBytes = try readBytes(file, count: Int(headerLength), at: 8, path: path)
        let header = try SafeTensorsHeader(bytes: headerBytes, dataSize: file.size - dataStart, path: path)
        return SafeTensorsArchive(
            path: path, entries: header.entries, metadata: header.metadata,
            dataStart: dataStart, fileSize: file.size
        )
    }

    static func readBytes(_ file: ReadOnlyFile, count: Int, at offset: Int, path: String) throws(SafeTensorsError) -> [UInt8] {
        do {
            return try file.read(count: count, at: offset)
        } catch {
            throw SafeTensorsError(path: path, kind: .unreadable(reason: error.reason))
        }
    }
}
