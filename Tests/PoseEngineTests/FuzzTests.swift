import Foundation
import Testing
@testable import PoseEngine

/// Seeded mutation fuzzing of the two readers that take files from users: the
/// safetensors reader and the session decoder. Every mutated input must either
/// load or throw; a crash, hang or runaway allocation fails the run.
///
/// tools/fuzz runs these for longer through the environment (see `FuzzRun`).
@Suite(.serialized)
struct FuzzTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tools/fuzz-corpus")

    /// Saved inputs (earlier crashes, hand-made seeds) for `target`, mutated alongside the built ones.
    static func savedInputs(_ target: String) -> [[UInt8]] {
        let folder = corpus.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).map { Array($0) }
        }
    }

    @Test func safeTensorsReader() throws {
        try fuzz("safetensors", seeds: Self.safeTensorsSeeds) { mutator, input, seeds in
            mutator.mutateSafeTensors(input, splicingWith: seeds)
        } read: { path in
            // Reading every tensor as well as the header exercises the offsets the header claims.
            if let archive = try? SafeTensors.read(path) {
                _ = try? archive.tensors(named: archive.names)
                _ = archive.parameterCount
            }
        }
    }

    @Test func sessionDecoder() throws {
        try fuzz("session", seeds: Self.sessionSeeds) { mutator, input, seeds in
            mutator.chance(50) ? mutator.mutateJSONValues(input) : mutator.mutate(input, splicingWith: seeds)
        } read: { path in
            if let session = try? SessionFile.open(URL(fileURLWithPath: path)).session {
                _ = session.facePaths
                _ = session.settings.problems()
            }
        }
    }

    /// Runs `read` on mutations of the seeds (built ones and saved ones) for the budget
    /// `FuzzRun` takes from the environment. `read` must swallow errors: only a crash fails.
    private func fuzz(
        _ target: String,
        seeds makeSeeds: (SafeTensorsScratch) throws -> [[UInt8]],
        mutate: (inout Mutator, [UInt8], [[UInt8]]) -> [UInt8],
        read: (String) -> Void
    ) throws {
        let scratch = try SafeTensorsScratch()
        let run = FuzzRun(target: target, scratch: scratch.directory)
        guard run.isSelected else { return }

        let seeds = try makeSeeds(scratch) + Self.savedInputs(target)
        run.forEachSeed { seed in
            var mutator = Mutator(seed: seed)
            let original = mutator.pick(seeds)
            let input = mutate(&mutator, original, seeds)
            guard (try? run.write(input)) != nil else { return }
            read(run.inputPath)
        }
    }

    /// Two small valid files: F32 with metadata, and F16 with an empty tensor and a scalar.
    static func safeTensorsSeeds(in scratch: SafeTensorsScratch) throws -> [[UInt8]] {
        let first = scratch.path("seed-f32.safetensors")
        try SafeTensors.write(
            [("weight", Tensor(shape: [2, 3], scalars: [1, -2, 3, -4, 5, 6])), ("bias", Tensor(shape: [3], scalars: [0.5, 0, -0.5]))],
            to: first, metadata: ["format": "pt", "note": "fuzz seed"])
        let second = scratch.path("seed-f16.safetensors")
        try SafeTensors.write(
            [("empty", Tensor(shape: [0, 4], scalars: [])), ("scalar", Tensor(shape: [], scalars: [7])),
             ("row", Tensor(shape: [1, 2], scalars: [1, 2]))],
            to: second, dtype: .f16)
        return try [first, second].map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
    }

    /// A version-2 session with every part filled in, and the shipped examples.
    static func sessionSeeds(in scratch: SafeTensorsScratch) throws -> [[UInt8]] {
        var settings = StudioSettings()
        settings.face = .images(paths: [scratch.path("face-a.png")])
        settings.faceB = .random(seed: 42)
        settings.faceMix = 0.25
        settings.seed = 7
        let session = SessionFile(
            settings: settings,
            bookmarks: [Bookmark(name: "first", settings: StudioSettings())],
            sweeps: [SessionSweep(Sweep(parameter: .yaw, from: -30, to: 30, frames: 5), base: settings)],
            undo: [StudioSettings()], redo: [settings],
            faces: [scratch.path("face-a.png"): RecordedFace(embedding: [0.1, -0.2, 0.3], encoder: "0123456789abcdef")])
        let url = URL(fileURLWithPath: scratch.path("seed-session.json"))
        try session.save(to: url)

        let examples = corpus.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples")
        let exampleFiles = try FileManager.default.contentsOfDirectory(atPath: examples.path)
            .filter { $0.hasSuffix(".json") }.sorted()
            .map { examples.appendingPathComponent($0) }
        return try ([url] + exampleFiles).map { Array(try Data(contentsOf: $0)) }
    }
}

extension Mutator {
    /// Safetensors-aware mutation: most inputs keep a length prefix that matches the
    /// mutated header, so they get past the length checks into the JSON and layout
    /// checks; some get an extreme length instead.
    mutating func mutateSafeTensors(_ file: [UInt8], splicingWith others: [[UInt8]]) -> [UInt8] {
        guard file.count >= 8, chance(70) else { return mutate(file, splicingWith: others) }
        // Saved inputs may claim any length: clamp it to the file before using it as an index.
        let claimed = file.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let headerEnd = 8 + Int(min(claimed, UInt64(file.count - 8)))
        var header = Array(file[8..<headerEnd])
        var data = Array(file[headerEnd...])
        if chance(40) {
            header = mutateJSONValues(header)
        } else if chance(70) {
            header = mutate(header)
        } else {
            data = mutate(data)
        }
        var length = UInt64(header.count)
        if chance(15) {
            length = pick([0, 1, 2, 7, 8, length &- 1, length + 1, length + 8, 100_000_000, 100_000_001,
                           UInt64(Int64.max), UInt64(Int64.max) + 1, UInt64.max, UInt64(UInt32.max)])
        }
        return SafeTensorsScratch.lengthPrefix(length) + header + data
    }
}
