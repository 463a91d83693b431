import ArgumentParser
import Foundation
import PoseEngine

/// What the judging benches (fidelity, warm) share: a model folder with its judge, reference
/// faces that are renders of a fixed synthetic world ("synth:N" is sample N), and judging.
struct JudgedBench {
    let models: StudioModels
    let judge: PoseJudge
    let engine: SamplingEngine
    /// The world the reference faces are samples of.
    private let world: SynthDataset

    /// Loads `model`, or fails with a message naming what is missing; `command` names the caller.
    init(model: String, command: String) throws {
        let world = SynthDataset(seed: 0xF1DE, imageSize: DefaultModelConfigs.imageSize, identityCount: 64)
        self.world = world
        let loader: FaceImageLoader = { path in
            guard let n = Int(path.dropFirst("synth:".count)) else { throw ValidationError("not a bench face: \(path)") }
            return world.samples(n..<(n + 1), threads: 1)[0].image
        }
        models = try failing(command) { try loadStudioModels(model) }
        guard let judge = models.judge else {
            FileHandle.standardError.write(Data("posestudio \(command): \(model) has no judge/ component; train it or pass --model\n".utf8))
            throw ExitCode.failure
        }
        self.judge = judge
        engine = SamplingEngine(models: models, faceImageLoader: loader)
    }

    /// Five named figures on one line, for the text reports: "pitch 17.200, yaw 45.800, ...".
    static func poseRow(_ figures: [String: Float]?) -> String {
        PoseValues.names.map { String(format: "%@ %.3f", $0, figures?[$0] ?? .nan) }.joined(separator: ", ")
    }

    /// The studio's default settings with the bench's flags in place.
    static func settings(steps: Int?, guidance: GuidanceOptions, cfg: CFGOptions) throws -> StudioSettings {
        var base = StudioSettings()
        if let steps { base.steps = steps }
        guidance.apply(to: &base)
        cfg.apply(to: &base)
        let problems = base.problems()
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
        return base
    }

    /// One render of the pose grid: its target number `t`, seed and reference face number.
    struct GridCase {
        let settings: StudioSettings
        let t: Int, seed: Int, face: Int
    }

    /// The pose grid both judging benches use unless told otherwise: 12 targets x 4 seeds, or
    /// 4 x 2 for a quick run.
    static func defaultGrid(quick: Bool) -> (targets: Int, seeds: Int) {
        quick ? (4, 2) : (12, 4)
    }

    /// `targets` plausible random poses (all five quantities on) x `seeds` seeds over `base`,
    /// each render with its own reference face.
    static func grid(_ base: StudioSettings, targets: Int, seeds: Int) -> [GridCase] {
        (0..<targets).flatMap { t in
            (0..<seeds).map { seed in
                var s = base
                s.targets = PoseWords.randomTargets(seed: UInt64(1000 + t))
                s.seed = UInt64(seed)
                s.face = .images(paths: [face(t * seeds + seed)])
                return GridCase(settings: s, t: t, seed: seed, face: t * seeds + seed)
            }
        }
    }

    /// Pairs of reference face numbers, `count` of them, all of different people: the first
    /// pair is faces 0 and 1, the rest the next faces whose person no earlier face shows.
    func distinctFacePairs(_ count: Int) -> [(a: Int, b: Int)] {
        var people: Set<Int> = [], faces: [Int] = []
        var n = 0
        while faces.count < 2 * count {
            if people.insert(world.spec(n).identityIndex).inserted || n < 2 { faces.append(n) }
            n += 1
        }
        return (0..<count).map { (faces[2 * $0], faces[2 * $0 + 1]) }
    }

    /// Reference face number `n` as a face "file".
    static func face(_ n: Int) -> String { "synth:\(n)" }

    func judged(_ image: SynthImage) -> PoseValues {
        judge.estimate(image)
    }

    func embedding(_ image: SynthImage) -> [Float] {
        models.faceEncoder.embedding(of: image)
    }

    /// Reference face `n` as the face encoder sees it: through the engine, whose cache the
    /// renders that take this face then reuse.
    func referenceEmbedding(_ n: Int) throws -> [Float] {
        try engine.embedding(of: .images(paths: [Self.face(n)])) ?? []
    }
}
