/// TOML's decoder calls a key that holds the wrong type missing. Theme files decode through this,
/// so a key that is there is said to hold the wrong thing instead, and a missing key is named
/// under the container's own path (TOMLKit's own errors put the key at the end of it as well,
/// which `DecodingError.problem` would print twice).
extension KeyedDecodingContainer {
    func decodePresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard contains(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no \(key.stringValue)",
                                                       underlyingError: AbsentKey()))
        }
        do {
            return try decode(type, forKey: key)
        } catch let error as DecodingError {
            // TOMLKit's "missing" for this very key, not a key found absent further in (marked
            // so, as one of the same name would otherwise carry this same path).
            if case .keyNotFound(_, let context) = error, !(context.underlyingError is AbsentKey),
               context.codingPath.map(\.stringValue) == (codingPath + [key]).map(\.stringValue) {
                throw DecodingError.typeMismatch(type, .init(codingPath: codingPath + [key], debugDescription: "\(key.stringValue) holds another type"))
            }
            throw error
        }
    }
}

/// Marks a key `decodePresent` found absent.
private struct AbsentKey: Error {}
