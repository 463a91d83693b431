import Foundation

/// Why a safetensors file could not be read or written, with the file it concerns.
public struct SafeTensorsError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public enum Kind: Equatable, Sendable {
        case unreadable(reason: String)
        case fileTooSmall(size: Int)
        case headerTooLarge(length: UInt64)
        case headerPastEnd(length: UInt64, fileSize: Int)
        case headerNotUTF8
        case malformedJSON(reason: String)
        case malformedEntry(tensor: String, reason: String)
        case metadataNotString(key: String)
        case reservedName
        case duplicateName(tensor: String)
        case unsupportedDType(tensor: String, dtype: String)
        case negativeDimension(tensor: String, shape: [Int])
        case sizeOverflow(tensor: String, shape: [Int])
        case byteLengthMismatch(tensor: String, expected: Int, actual: Int)
        case dataGap(tensor: String, expectedBegin: Int, begin: Int)
        case dataOverlap(tensor: String, expectedBegin: Int, begin: Int)
        case trailingBytes(dataEnd: Int, dataSize: Int)
        case dataPastEnd(tensor: String, end: Int, dataSize: Int)
        case noSuchTensor(name: String)
        case unwritable(reason: String)
        case beyondRange(tensor: String, dtype: String, value: Float)
    }

    /// The file as the caller named it.
    public let path: String
    public let kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var description: String { "\(path): \(problem)" }
    public var errorDescription: String? { description }

    /// The problem alone, without the file name.
    public var problem: String {
        switch kind {
        case .unreadable(let reason):
            "cannot be read: \(reason)"
        case .fileTooSmall(let size):
            "is \(size) bytes long, too short for the 8-byte header length of a safetensors file"
        case .headerTooLarge(let length):
            "declares a \(length)-byte header; more than \(SafeTensors.maximumHeaderLength) bytes is refused (not a safetensors file?)"
        case .headerPastEnd(let length, let fileSize):
            "declares a \(length)-byte header but the file has only \(fileSize) bytes (truncated?)"
        case .headerNotUTF8:
            "the header is not valid UTF-8"
        case .malformedJSON(let reason):
            "the header is not well-formed JSON: \(reason)"
        case .malformedEntry(let tensor, let reason):
            "tensor '\(tensor)': \(reason)"
        case .metadataNotString(let key):
            "__metadata__ value for '\(key)' is not a string (metadata must map strings to strings)"
        case .beyondRange(let tensor, let dtype, let value):
            "tensor '\(tensor)' holds \(value), beyond the largest \(dtype) value; it would be stored as infinity"
        case .reservedName:
            "__metadata__ describes a tensor; that name is reserved for the metadata map"
        case .duplicateName(let tensor):
            "tensor '\(tensor)' appears more than once in the header"
        case .unsupportedDType(let tensor, let dtype):
            "tensor '\(tensor)' has dtype '\(dtype)'; only \(SafeTensorsDType.supportedList) are supported"
        case .negativeDimension(let tensor, let shape):
            "tensor '\(tensor)' has a negative dimension in its shape \(shape)"
        case .sizeOverflow(let tensor, let shape):
            "tensor '\(tensor)' has a shape \(shape) whose byte size does not fit in 64 bits"
        case .byteLengthMismatch(let tensor, let expected, let actual):
            "tensor '\(tensor)' spans \(actual) bytes but its dtype and shape need \(expected)"
        case .dataGap(let tensor, let expectedBegin, let begin):
            "tensor '\(tensor)' starts at data byte \(begin), leaving a gap after byte \(expectedBegin)"
        case .dataOverlap(let tensor, let expectedBegin, let begin):
            "tensor '\(tensor)' starts at data byte \(begin), overlapping the previous tensor which ends at \(expectedBegin)"
        case .trailingBytes(let dataEnd, let dataSize):
            "the tensors end at data byte \(dataEnd) but \(dataSize - dataEnd) more bytes follow (corrupt or appended to)"
        case .dataPastEnd(let tensor, let end, let dataSize):
            "tensor '\(tensor)' ends at data byte \(end), past the end of the data (\(dataSize) bytes; truncated?)"
        case .noSuchTensor(let name):
            "has no tensor named '\(name)'"
        case .unwritable(let reason):
            "cannot be written: \(reason)"
        }
    }
}
