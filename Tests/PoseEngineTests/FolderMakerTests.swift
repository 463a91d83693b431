import AtomicFiles
import Foundation
import Testing

/// A folder that cannot be made is named with the system's reason, not Foundation's domain,
/// code and dictionary.
@Suite struct FolderMakerTests {
    @Test func foldersAreMadeWithTheirParentsAndAFailureSaysWhy() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("folder-maker-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let nested = root.appendingPathComponent("a/b/c")
        try FolderMaker.make(nested)
        try FolderMaker.make(nested)  // already there: fine
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: nested.path, isDirectory: &isFolder) && isFolder.boolValue)

        let file = root.appendingPathComponent("a/file")
        try Data("x".utf8).write(to: file)
        #expect {
            try FolderMaker.make(file.appendingPathComponent("inside"))
        } throws: { error in
            let text = "\(error)"
            return text == "cannot create the folder \(file.path)/inside: Not a directory"
        }
    }
}
