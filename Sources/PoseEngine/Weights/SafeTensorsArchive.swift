/// A validated safetensors file: what it holds, and tensors read on demand.
///
/// Holds no open file; each read opens the file again and checks that its
/// size is still the one that was validated.
public struct SafeTensorsArchive: Sendable {
    /// The file as the caller named it.
    public let path: String
    /// Tensor descriptions in the order of their data in the file.
    public let entries: [SafeTensorsEntry]
    public let metadata: [String: String]

    let dataStart: Int
    let fileSize: Int
    private let indexByName: [String: Int]

    init(path: String, entries: [SafeTensorsEntry], metadata: [String: String], dataStart: Int, fileSize: Int) {
        self.path = path
        self.entries = entries
        self.metadata = metadata
        self.dataStart = dataStart
        self.fileSize = fileSize
        self.indexByName = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
    }

    public var names: [String] { entries.map(\.name) }

    /// The number of scalars over all tensors.
    public var parameterCount: Int { entries.reduce(0) { $0 + $1.elementCount } }

    public func entry(named name: String) -> SafeTensorsEntry? {
        indexByName[name].map { entries[$0] }
    }

    /// One tensor, converted to `Float`.
    public func tensor(named name: String) throws(SafeTensorsError) -> Tensor {
        let file = try open()
        return try read(name, from: file)
    }

    /// Several tensors by name, read through one open file.
    public func tensors(named names: [String]) throws(SafeTensorsError) -> [String: Tensor] {
        let file = try open()
        var tensors: [String: Tensor] = [:]
        for name in names {
            tensors[name] = try read(name, from: file)
        }
        return tensors
    }

    private func open() throws(SafeTensorsError) -> ReadOnlyFile {
        let file: ReadOnlyFile
        do {
            file = try ReadOnlyFile(path: path)
        } catch {
            throw SafeTensorsError(path: path, kind: .unreadable(reason: error.reason))
        }
        guard file.size == fileSize else {
            throw SafeTensorsError(path: path, kind: .unreadable(
                reason: "its size changed from \(fileSize) to \(file.size) bytes since its header was read"))
        }
        return file
    }

    private func read(_ name: String, from file: ReadOnlyFile) throws(SafeTensorsError) -> Tensor {
        guard let entry = entry(named: name) else {
            throw SafeTensorsError(path: path, kind: .noSuchTensor(name: name))
        }
        let bytes = try SafeTensors.readBytes(
            file, count: entry.dataOffsets.count, at: dataStart + entry.dataOffsets.lowerBound, path: path)
        let scalars = bytes.withUnsafeBytes { entry.dtype.decode($0, count: entry.elementCount) }
        return Tensor(shape: entry.shape, scalars: scalars)
    }
}
