/// Why a dataset could not be written, with the path involved.
public enum DatasetWriterError: Error, Equatable, CustomStringConvertible {
    case cannotCreateFolder(path: String, reason: String)
    case imageWriteFailed(path: String, reason: String)
    case labelsWriteFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreateFolder(let path, let reason):
            return "cannot create the dataset folder \(path) (\(reason)): choose a writable location with --out"
        case .imageWriteFailed(let path, let reason):
            return "cannot write image \(path): \(reason)"
        case .labelsWriteFailed(let path, let reason):
            return "cannot write labels \(path) (\(reason)): check free space and permissions"
        }
    }
}
