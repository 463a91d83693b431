import AtomicFiles
import Foundation

/// The folder a sweep's frames are written into.
public enum SweepFramesFolder {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes sure `path` is a folder frames can go into, creating it when it is not there.
    public static func prepare(_ path: String) throws(Failure) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw Failure(description: "\(path) is a file, not a folder: name a folder for the frames") }
            return
        }
        do {
            try FolderMaker.make(path)
        } catch {
            throw Failure(description: error.description)
        }
    }

    /// Removes the `frame-NNN.png` files numbered `count` or more, which an earlier, longer sweep
    /// left: once a sweep of `count` frames has written its own, the folder holds that sweep alone.
    /// Nothing else in the folder is touched.
    public static func removeFrames(in path: String, from count: Int) throws(Failure) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names {
            guard let number = frameNumber(name), number >= count else { continue }
            do {
                try FileManager.default.removeItem(atPath: path + "/" + name)
            } catch {
                throw Failure(description: "cannot remove the earlier frame \(path)/\(name): \(SystemReason.of(error))")
            }
        }
    }

    /// `base` if nothing has that name yet, else the first of `base-2`, `base-3`, ... that is free,
    /// so a new export never overwrites an earlier one.
    public static func unused(_ base: String) -> String {
        var candidate = base
        var number = 1
        while FileManager.default.fileExists(atPath: candidate) {
            number += 1
            candidate = "\(base)-\(number)"
        }
        return candidate
    }

    /// The index in a name `Sweep.frameFileName` gives ("frame-" and three or more digits, ".png").
    static func frameNumber(_ name: String) -> Int? {
        guard name.hasPrefix("frame-"), name.hasSuffix(".png") else { return nil }
        let digits = name.dropFirst("frame-".count).dropLast(".png".count)
        guard digits.count >= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}
