import Foundation
import Testing
@testable import PoseEngine

/// A session save killed at any instant leaves the old file or the new one, whole. The test
/// binary runs itself as the saving process (`saveLoopChild`, enabled by an environment
/// variable) and SIGKILLs it at random moments.
@Suite struct AtomicSaveTests {
    static let loopVariable = "POSESTUDIO_SAVE_LOOP_FILE"

    /// The two sessions the child alternates between; large enough that a write takes a while.
    static func sessions() -> [SessionFile] {
        (0..<2).map { variant in
            var settings = StudioSettings()
            settings.prompt = variant == 0 ? "a photo of a person" : "a sketch of a person"
            let history = (0..<400).map { step -> StudioSettings in
                var s = settings
                s.seed = UInt64(step * 2 + variant)
                return s
            }
            return SessionFile(settings: settings, undo: history)
        }
    }

    @Test func aSaveIntoAMissingFolderSaysWhichFolder() {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-folder-\(UUID().uuidString)")
        do {
            try SessionFile(settings: StudioSettings()).save(to: folder.appendingPathComponent("s.json"))
            Issue.record("saved into a folder that is not there")
        } catch {
            #expect("\(error)" == "cannot create a file in \(folder.path): No such file or directory")
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[loopVariable] != nil))
    func saveLoopChild() throws {
        guard let path = ProcessInfo.processInfo.environment[Self.loopVariable] else { return }
        let url = URL(fileURLWithPath: path)
        let both = Self.sessions()
        var index = 0
        while true {
            try both[index % 2].save(to: url)
            index += 1
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[loopVariable] == nil))
    func sigkillDuringRepeatedSavesLeavesAWholeFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("session.json")
        let both = Self.sessions()
        try both[0].save(to: url)
        var generator = SeededGenerator(seed: 5)
        var killsDuringWrites = 0
        for _ in 0..<12 {
            let child = try Self.spawnSaveLoop(writing: url)
            usleep(UInt32(150_000 + Int(generator.next() % 200_000)))
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
            let loaded = try SessionFile.open(url).session
            #expect(loaded == both[0] || loaded == both[1], "the session file is one of the two sessions, whole")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "session.json" }
            if !leftovers.isEmpty { killsDuringWrites += 1 }
            for name in leftovers { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        }
        // Leftover temporary files show kills that landed mid-write; the file stayed whole anyway.
        print("AtomicSaveTests: \(killsDuringWrites) of 12 kills landed during a write")
    }

    /// Runs this test binary's `saveLoopChild` in a new process.
    static func spawnSaveLoop(writing url: URL) throws -> pid_t {
        let binary = CommandLine.arguments[0]
        let arguments = [binary, "--testing-library", "swift-testing", "--filter", "saveLoopChild"]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var environment = ProcessInfo.processInfo.environment
        environment[loopVariable] = url.path
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid = pid_t()
        let status = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return pid
    }
}
