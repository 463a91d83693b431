import Foundation

/// What the system said under a Foundation file error ("Permission denied", "Not a directory"):
/// the error itself prints as a domain, a code and a dictionary of keys.
public enum SystemReason {
    public static func of(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? any Error {
            let system = underlying as NSError
            if system.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(system.code))) }
        }
        return error.localizedDescription
    }
}
