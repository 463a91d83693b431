import Foundation
import Testing
@testable import PoseEngine

/// The trainers learn: on a fixed batch, a few optimiser steps lower the loss.
@Suite struct TrainingLoopTests {
    static let vaeConfig = TinyTrainingModels.vaeConfig

    /// Repeats step 0 (the same batch and noise) and returns the first and last loss.
    private func overfit(steps: Int, modules: [ParameterVisitable], learningRate: Float, _ body: () -> Float) -> (Float, Float) {
        let optimizer = AdamW(learningRate: learningRate, weightDecay: 0)
        let parameters = modules.enumerated().flatMap { i, m in m.namedParameters().map { ("\(i).\($0.name)", $0.parameter) } }
        var first: Float = .nan, last: Float = .nan
        for i in 0..<steps {
            let loss = body()
            if i == 0 { first = loss }
            last = loss
            optimizer.update(parameters)
        }
        return (first, last)
    }

    @Test func vaeReconstructionImproves() throws {
        let vae = try AutoencoderKL(config: Self.vaeConfig, seed: 1)
        let trainer = VAETrainer(vae: vae, batches: SynthBatches(seed: 3, imageSize: 16, identityCount: 4, batchSize: 2), noiseSeed: 5)
        let (first, last) = overfit(steps: 25, modules: [vae], learningRate: 3e-3) { trainer.step(0)["loss"] ?? .nan }
        #expect(first.isFinite && last < 0.7 * first, "VAE loss \(first) -> \(last)")
    }

    /// A decoder-only fine-tune: the loss falls, the decoder moves, and the encoder (so every
    /// latent a UNet was trained on) stays bit for bit what it was, weight decay included.
    @Test func aDecoderOnlyFineTuneKeepsTheLatents() throws {
        let vae = try AutoencoderKL(config: Self.vaeConfig, seed: 1)
        let batches = SynthBatches(seed: 3, imageSize: 16, identityCount: 4, batchSize: 2)
        let images = batches.batch(0).images
        let latentsBefore = vae.encode(images).mean
        let weightsBefore = vae.namedParameters().map { ($0.name, $0.parameter.value) }
        let trainer = VAETrainer(vae: vae, batches: batches, noiseSeed: 5, trainsEncoder: false)
        let optimizer = AdamW(learningRate: 3e-3, weightDecay: 0.01)
        var losses: [Float] = []
        for _ in 0..<25 {
            losses.append(trainer.step(0)["loss"] ?? .nan)
            optimizer.update(vae.namedParameters())
        }
        #expect(losses[0].isFinite && losses[24] < 0.8 * losses[0], "VAE loss \(losses[0]) -> \(losses[24])")
        #expect(vae.encode(images).mean == latentsBefore)
        let moved = zip(weightsBefore, vae.namedParameters()).filter { $0.1 != $1.parameter.value }.map(\.0.0)
        #expect(!moved.isEmpty && moved.allSatisfy { $0.hasPrefix("decoder.") || $0.hasPrefix("post_quant_conv.") }, "\(moved)")
    }

    @Test func diffusionAndPoseHeadLossesFall() throws {
        let tiny = try TinyTrainingModels()
        let (unet, text, projector) = (tiny.unet, tiny.text, tiny.projector)
        var diffusion = tiny.diffusionTrainer(seed: 11)
        diffusion.faceJitter = 0
        let (first, last) = overfit(steps: 30, modules: [unet, text, projector], learningRate: 2e-3) {
            diffusion.step(0)["loss"] ?? .nan
        }
        #expect(first.isFinite && last < 0.8 * first, "diffusion loss \(first) -> \(last)")
        let preview = diffusion.previewSheet(count: 2, steps: 3)
        #expect(preview.width == 2 * 16 && preview.height == 2 * 16 && preview.pixels.count == 32 * 32 * 3)
        let weighted = diffusion.step(0)
        #expect((weighted["loss"] ?? 0) > (weighted["mse"] ?? .infinity), "the face's latents count more")
        diffusion.faceWeights = FaceWeights(extra: 0)
        let plain = diffusion.step(0)
        #expect(abs((plain["loss"] ?? 0) - (plain["mse"] ?? .infinity)) <= 1e-6 * (plain["mse"] ?? 1))

        let poseTrainer = try tiny.poseHeadTrainer(seed: 13)
        let head = poseTrainer.head
        let (headFirst, headLast) = overfit(steps: 30, modules: [head], learningRate: 3e-3) { poseTrainer.step(0)["loss"] ?? .nan }
        #expect(headFirst.isFinite && headLast < 0.5 * headFirst, "pose head loss \(headFirst) -> \(headLast)")
        let mae = poseTrainer.meanAbsoluteError(timestep: 10, batches: 0..<1)
        #expect(mae.array.allSatisfy { $0.isFinite && $0 >= 0 })
        // Weights scale each quantity's share of the loss: yaw alone at weight 3 gives 3 times
        // the loss of yaw alone at weight 1.
        var yawOnly = poseTrainer
        yawOnly.quantityWeights = [0, 1, 0, 0, 0]
        let once = yawOnly.step(0)["loss"] ?? .nan
        yawOnly.quantityWeights = [0, 3, 0, 0, 0]
        let thrice = yawOnly.step(0)["loss"] ?? .nan
        #expect(once > 0 && abs(thrice - 3 * once) <= 1e-4 * thrice, "yaw-only losses \(once), \(thrice)")
    }

    @Test func runResumesFromItsCheckpoint() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-run-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SeededGenerator(seed: 1)
        let layer = Linear(3, 2, generator: &generator)
        let input = randomTensor([4, 3], seed: 2)
        func body(_ step: Int) -> [String: Float] {
            let y = layer.forward(input)
            _ = layer.backward(y * 2)
            return ["loss": y.dot(y)]
        }
        let options = TrainingRun.Options(steps: 6, learningRate: 0.01, warmupSteps: 1, checkpointEvery: 3)
        let first = try TrainingRun(component: "probe", directory: directory, modules: [("linear", layer)], options: options, lossColumns: ["loss"])
        try first.run(progress: { _ in }, body: body)
        let trained = layer.weight.value

        let fresh = Linear(3, 2, generator: &generator)
        let resumed = try TrainingRun(component: "probe", directory: directory, modules: [("linear", fresh)], options: options, lossColumns: ["loss"])
        #expect(resumed.resumedFrom == 6)
        #expect(fresh.weight.value == trained)
        #expect(resumed.log.rows.count == 6)
    }

    /// A run stops when any loss it logs is not finite, not only its main one: a side loss is
    /// part of the gradient too.
    @Test func aRunStopsWhenAnyLossIsNotFinite() throws {
        let (run, directory) = try probeRun(steps: 4, checkpointEvery: 2, lossColumns: ["loss", "side"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = #expect(throws: TrainingError.self) {
            try run.run(progress: { _ in }) { step in ["loss": 1, "side": step == 2 ? .infinity : 1] }
        }
        #expect(error?.description.hasPrefix("probe training diverged at step 2 (side inf)") == true, "\(String(describing: error))")
    }

    @Test func aCheckpointIsNotResumedIntoAnotherLayout() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-layout-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let options = TrainingRun.Options(steps: 1, learningRate: 0.01, warmupSteps: 1, checkpointEvery: 1)
        let vae = try AutoencoderKL(config: Self.vaeConfig, seed: 1)
        let first = try TrainingRun(component: "vae", directory: directory, modules: [("vae", vae)], options: options, lossColumns: ["loss"])
        try first.saveCheckpoint()

        // Same weight shapes, other group count: the weights would load but mean something else.
        var regrouped = Self.vaeConfig
        regrouped.normNumGroups = 2
        let other = try AutoencoderKL(config: regrouped, seed: 1)
        #expect {
            _ = try TrainingRun(component: "vae", directory: directory, modules: [("vae", other)], options: options, lossColumns: ["loss"])
        } throws: { error in
            "\(error)".contains("another configuration (vae differs)")
        }
        let same = try TrainingRun(component: "vae", directory: directory, modules: [("vae", try AutoencoderKL(config: Self.vaeConfig, seed: 2))],
                                   options: options, lossColumns: ["loss"])
        #expect(same.resumedFrom == 0)
    }

    /// A run at another peak learning rate, or learning from other frozen networks, would follow
    /// another schedule or another target from the checkpoint on: it is refused by name.
    @Test func aCheckpointIsNotResumedWithOtherSettings() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-settings-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SeededGenerator(seed: 1)
        let layer = Linear(3, 2, generator: &generator)
        func run(_ options: TrainingRun.Options) throws -> TrainingRun {
            try TrainingRun(component: "probe", directory: directory, modules: [("linear", layer)], options: options, lossColumns: ["loss"])
        }
        let options = TrainingRun.Options(steps: 1, learningRate: 0.01, warmupSteps: 1, checkpointEvery: 1,
                                          provenance: ["teacher": "abc"])
        try run(options).saveCheckpoint()

        var faster = options
        faster.learningRate = 0.02
        #expect { _ = try run(faster) } throws: { "\($0)".contains("peak_learning_rate 0.01, this run has 0.02") }
        var otherTeacher = options
        otherTeacher.provenance["teacher"] = "abd"
        #expect { _ = try run(otherTeacher) } throws: { "\($0)".contains("made with teacher abc, this run has abd") }
        #expect(try run(options).resumedFrom == 0)
    }

    /// A checkpoint past the run's last step holds a longer run's weights: finishing would save
    /// them as this run's.
    @Test func aCheckpointPastTheRunsStepsIsNotResumed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-steps-\(UInt64.random(in: 0...UInt64.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SeededGenerator(seed: 1)
        let layer = Linear(3, 2, generator: &generator)
        func run(steps: Int) throws -> TrainingRun {
            try TrainingRun(component: "probe", directory: directory, modules: [("linear", layer)],
                            options: .init(steps: steps, learningRate: 0.01, warmupSteps: 1), lossColumns: ["loss"])
        }
        let long = try run(steps: 3)
        try long.run(progress: { _ in }) { _ in
            let y = layer.forward(randomTensor([2, 3], seed: 3))
            _ = layer.backward(y)
            return ["loss": y.dot(y)]
        }
        #expect { _ = try run(steps: 2) } throws: { "\($0)".contains("at step 3, past this run's 2 steps; pass --steps 3 or more") }
        #expect(try run(steps: 3).resumedFrom == 3)
        #expect(try run(steps: 5).resumedFrom == 3)
    }
}

@Suite struct LossLogTests {
    private func temporaryLog() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-loss-\(UInt64.random(in: 0...UInt64.max)).csv")
    }

    /// A resumed run that logs other columns keeps the old history and the new values alike,
    /// and follows its own first column even when the old log's first column is gone.
    @Test func aResumedLogKeepsEveryColumnAndFollowsTheRunsOwnLoss() throws {
        let path = temporaryLog()
        defer { try? FileManager.default.removeItem(at: path) }
        var old = LossLog(path: path, columns: ["total", "lr"], resumeStep: nil)
        for step in 1...4 { old.append(step: step, values: ["total": Double(10 - step), "lr": 0.1]) }
        try old.save()

        var resumed = LossLog(path: path, columns: ["loss", "mse", "lr"], resumeStep: 2)
        #expect(resumed.mainColumn == "loss" && resumed.columns == ["loss", "mse", "lr", "total"])
        #expect(resumed.columnsAddedOnResume == ["loss", "mse"] && resumed.columnsNoLongerLogged == ["total"])
        #expect(resumed.rows.map(\.step) == [1, 2], "steps after the checkpoint are repeated, so dropped")
        resumed.append(step: 3, values: ["loss": 6, "mse": 0.5, "lr": 0.05])
        try resumed.save()

        let reread = LossLog(path: path, columns: ["loss", "mse", "lr"], resumeStep: 10)
        #expect(reread.columnsAddedOnResume.isEmpty && reread.columnsNoLongerLogged == ["total"])
        #expect(reread.series("total").map(\.value) == [9, 8])
        #expect(reread.series("loss").map(\.step) == [3] && reread.series("mse").first?.value == 0.5)
    }

    /// A run that starts fresh does not take over whatever log is in its folder.
    @Test func aFreshRunStartsAnEmptyLog() throws {
        let path = temporaryLog()
        defer { try? FileManager.default.removeItem(at: path) }
        var stale = LossLog(path: path, columns: ["total"], resumeStep: nil)
        stale.append(step: 1, values: ["total": 1])
        try stale.save()
        let fresh = LossLog(path: path, columns: ["loss", "lr"], resumeStep: nil)
        #expect(fresh.rows.isEmpty && fresh.columns == ["loss", "lr"])
    }
}

@Suite struct LossPlotTests {
    /// The plot has no text, so the report says what its axes show, from the same scale.
    @Test func theReportDescribesThePlotsAxes() {
        let series: [(step: Int, value: Double)] = [(1, 0.05), (2, 0.5), (3, .nan), (4, 2)]
        let axes = LossPlot.axes(series, quantity: "loss")
        #expect(axes?.hasPrefix("x: step 1 to 4; y: loss on a log scale, dotted lines at 0.01, 0.1, 1, 10 from bottom") == true,
                "\(axes ?? "nil")")
        #expect(LossPlot.axes([(1, 0.5)], quantity: "loss") == nil, "one point is not a curve")

        var report = TrainingReport(component: "judge", command: "posestudio train judge", steps: 4, batchSize: 2, seed: 1,
                                    seconds: 1, parameterCount: 10, finalLosses: ["loss": 1])
        report.plotAxes = axes
        #expect(report.markdown.contains("Loss curve: `loss.png` (x: step 1 to 4;"))
    }

    /// A report made from a run takes its component, steps, time and final losses from the run.
    @Test func aReportFromARunTellsWhatTheRunDid() throws {
        let (run, directory) = try probeRun(steps: 4, checkpointEvery: 10, lossColumns: ["loss", "other"])
        defer { try? FileManager.default.removeItem(at: directory) }
        try run.run(progress: { _ in }) { step in ["loss": Float(step + 1), "other": 10] }

        let report = TrainingReport(run: run, command: "posestudio train probe", batchSize: 2, seed: 7)
        #expect(report.component == "probe" && report.steps == 4 && report.seed == 7 && report.parameterCount == 3)
        #expect(report.seconds == run.elapsedSeconds && report.seconds > 0)
        #expect(report.finalLosses == ["loss": 2.5, "other": 10], "each loss's mean over the logged steps; not lr or timing")
    }
}

/// A run named "probe" of a 2 -> 1 linear layer (3 parameters) in a fresh temporary folder,
/// which the caller removes.
private func probeRun(steps: Int, checkpointEvery: Int, lossColumns: [String]) throws -> (run: TrainingRun, directory: URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("posestudio-run-\(UInt64.random(in: 0...UInt64.max))")
    var generator = SeededGenerator(seed: 1)
    let options = TrainingRun.Options(steps: steps, learningRate: 0.01, warmupSteps: 1, checkpointEvery: checkpointEvery)
    let run = try TrainingRun(component: "probe", directory: directory, modules: [("linear", Linear(2, 1, generator: &generator))],
                              options: options, lossColumns: lossColumns)
    return (run, directory)
}
