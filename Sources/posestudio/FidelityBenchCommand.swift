import ArgumentParser
import AtomicFiles
import Foundation
import ImageFiles
import PoseEngine

/// `posestudio bench fidelity`: does the image follow the targets and keep the face? Judged by the
/// pixel-space judge and the face encoder, never by the networks that guide.
struct FidelityBenchCommand: ParsableCommand, ModelChoice {
    static let configuration = CommandConfiguration(
        commandName: "fidelity",
        abstract: "Judge guided vs unguided pose error, face alignment, and yaw / face-mix sweeps; plot each metric.",
        discussion: """
        Reference faces are renders of the synthetic world. Targets are plausible random poses \
        (all five quantities on). Face alignment is the cosine between the input face's embedding \
        and the generated face's (same_face), and against images made with a face drawn from a seed \
        (random_face). The yaw and face-mix sweeps run from --sweeps seeds, each with \
        faces of its own people: each sweep figure is their mean, with the worst run beside it; \
        the plots draw every run (the first in red). judge_error is the judge's own error on 128 \
        fresh renders (16 with --quick) and on the VAE's reconstructions of them (left out when \
        the judge and the VAE work at different sizes): every generated picture is a decoding, so \
        the second is a floor on how closely the judge reads them. Guidance and CFG weights left \
        unset are the studio's defaults.
        """)

    @Option(help: ArgumentHelp("The model folder (needs judge/).", discussion: defaultModelHelp)) var model: String?
    @Flag(help: "A small bench: by default 4 targets x 2 seeds and 2 sweeps; always 7-frame sweeps and 16 renders for the judge's own error.")
    var quick = false
    @Option(help: ArgumentHelp("Targets of the pose grid (default 12, 4 with --quick).",
                               discussion: "Target t is the same pose whatever the grid's size: with the same --seeds, a larger grid holds every render of a smaller one."))
    var targets: Int?
    @Option(help: ArgumentHelp("Seeds per target of the pose grid (default 4, 2 with --quick).",
                               discussion: "pose_mae_standard_error says how far the pose errors could move on another grid of as many targets; the seeds of one target miss alike, so more targets shrink it more than more seeds."))
    var seeds: Int?
    /// At most 16: each sweep's two faces are people no other sweep shows, and 16 sweeps take 32 of
    /// the bench world's 64 people.
    @Option(help: "Yaw and face-mix sweeps, each from its own seed and faces (default 4, 2 with --quick).") var sweeps: Int?
    @Flag(help: "Print JSON.") var json = false
    @Option(name: .customLong("plots-dir"), help: "Folder for one PNG plot per metric.") var plotsDir = "bench-fidelity"
    @Option(name: .customLong("images-dir"), help: ArgumentHelp(
        "Also keep the pose grid's renders here, to look at what was judged.",
        discussion: "Each target t and seed s gives guided-tT-sS.png and unguided-tT-sS.png; targets.json lists the targets and the judged poses."))
    var imagesDir: String?
    @Option(help: "Sampling steps.") var steps: Int?
    /// Pose guidance of the guided renders and of the sweeps (default: the studio's).
    @OptionGroup var guidanceWeights: GuidanceOptions
    /// The CFG weights of every render (default: the studio's).
    @OptionGroup var cfgWeights: CFGOptions

    struct Report: Codable {
        /// How the guided renders were steered: "weight", "fraction" of the steps, "repeats"
        /// (passes of each guided step), "lookahead" (0: off, else t') with its "samples" and
        /// "lookahead_gain", "push_limit" (0: none), "pose_prior", and the Face0 CFG weights of
        /// every render ("cfg", "cfg_combined", "cfg_face", "cfg_from", and "cfg_early", the scale the
        /// steps above "cfg_from" ran at).
        var guidance: [String: Float]
        /// The targets read ahead when "lookahead" is on.
        var lookaheadTargets: [PoseQuantity]
        var poseMae: [String: [String: Float]]
        /// The standard error of each figure in `poseMae`, between the grid's targets; nil for a
        /// grid of one target.
        var poseMaeStandardError: [String: [String: Float]]?
        var faceAlignment: [String: Float]
        var yawSweep: [String: Float]
        var faceMixSweep: [String: Float]
        /// The judge's own error on fresh renders ("renders") and on the VAE's reconstructions of
        /// them ("decodings"): a floor on how closely it reads generated pictures.
        var judgeError: [String: [String: Float]]?
        /// Per quantity, where the guided renders land: judged = slope * target + intercept
        /// (least squares over the grid). A head's `guidance_calibration` takes these pairs.
        var guidedLanding: [String: [String: Float]]?

        enum CodingKeys: String, CodingKey {
            case guidance, lookaheadTargets = "lookahead_targets"
            case poseMae = "pose_mae", poseMaeStandardError = "pose_mae_standard_error"
            case faceAlignment = "face_alignment", yawSweep = "yaw_sweep", faceMixSweep = "face_mix_sweep"
            case judgeError = "judge_error", guidedLanding = "guided_landing"
        }
    }

    func validate() throws {
        if let targets, !(1...200).contains(targets) { throw ValidationError("--targets must be between 1 and 200 (got \(targets))") }
        if let seeds, !(1...64).contains(seeds) { throw ValidationError("--seeds must be between 1 and 64 (got \(seeds))") }
        if let sweeps, !(1...16).contains(sweeps) { throw ValidationError("--sweeps must be between 1 and 16 (got \(sweeps))") }
    }

    func run() throws {
        let bench = try JudgedBench(model: modelPath, command: "bench fidelity")
        let engine = bench.engine
        let base = try JudgedBench.settings(steps: steps, guidance: guidanceWeights, cfg: cfgWeights)
        let defaults = JudgedBench.defaultGrid(quick: quick)
        let targets = self.targets ?? defaults.targets, seeds = self.seeds ?? defaults.seeds
        let frames = quick ? 7 : 13
        try FolderMaker.make(plotsDir)
        if let imagesDir { try FolderMaker.make(imagesDir) }
        func keep(_ image: SynthImage, _ name: String) throws {
            guard let imagesDir else { return }
            try failing("bench fidelity") { try image.rgbImage.writePNG(to: imagesDir + "/" + name) }
        }

        let (judged, embedding) = (bench.judged, bench.embedding)
        func render(_ s: StudioSettings) throws -> SynthImage { try failing("bench fidelity") { try engine.render(s).image } }

        // Pose error, guided and unguided, and face alignment on the same renders.
        var truth: [PoseValues] = [], guided: [PoseValues] = [], unguided: [PoseValues] = []
        var same: [Float] = [], random: [Float] = []
        let grid = JudgedBench.grid(base, targets: targets, seeds: seeds)
        for (done, item) in grid.enumerated() {
            var s = item.settings
            let reference = try bench.referenceEmbedding(item.face)
            let image = try render(s)
            try keep(image, "guided-t\(item.t)-s\(item.seed).png")
            guided.append(judged(image))
            same.append(FaceEmbedding.cosine(reference, embedding(image)))
            truth.append(s.targets.values)
            s.guidance = 0
            let plain = try render(s)
            try keep(plain, "unguided-t\(item.t)-s\(item.seed).png")
            unguided.append(judged(plain))
            s.face = .random(seed: UInt64(5000 + item.face))
            random.append(FaceEmbedding.cosine(reference, embedding(try render(s))))
            progress("pose grid", done + 1, grid.count)
        }
        if let imagesDir {
            let rows = truth.indices.map { i in
                ["image": ["t": Float(i / seeds), "s": Float(i % seeds)], "target": truth[i].named,
                 "guided": guided[i].named, "unguided": unguided[i].named]
            }
            try failing("bench fidelity") { try SortedJSON.data(rows).write(to: URL(fileURLWithPath: imagesDir + "/targets.json")) }
        }
        let maeGuided = FidelityStatistics.meanAbsoluteError(guided, truth)
        let maeUnguided = FidelityStatistics.meanAbsoluteError(unguided, truth)

        // Yaw sweeps -60..60 and face-mix sweeps A -> B, one of each per sweep seed, each with
        // faces of people no other run shows (the first run: faces 0 and 1, the base seed).
        let sweepCount = sweeps ?? (quick ? 2 : 4)
        var yaw = SweepRuns(sweep: Sweep(parameter: .yaw, from: -60, to: 60, frames: frames))
        var mix = SweepRuns(sweep: Sweep(parameter: .faceMix, from: 0, to: 1, frames: frames))
        /// Renders every frame of `runs`' sweep over `sweepBase` and records what `measure` reads in each.
        func record(_ runs: inout SweepRuns, from sweepBase: StudioSettings, _ label: String,
                    _ measure: (SynthImage) -> Float) throws {
            var measured: [Float] = []
            for (i, s) in runs.sweep.settings(from: sweepBase).enumerated() {
                measured.append(measure(try render(s)))
                progress(label, i + 1, frames)
            }
            runs.judged.append(measured)
        }
        for (k, faces) in bench.distinctFacePairs(sweepCount).enumerated() {
            var sweepBase = base
            sweepBase.seed = base.seed &+ UInt64(k)
            sweepBase.face = .images(paths: [JudgedBench.face(faces.a)])
            try record(&yaw, from: sweepBase, "yaw sweep \(k + 1) of \(sweepCount):") { judged($0).yaw }
            sweepBase.faceB = .images(paths: [JudgedBench.face(faces.b)])
            let faceB = try bench.referenceEmbedding(faces.b)
            try record(&mix, from: sweepBase, "face-mix sweep \(k + 1) of \(sweepCount):") {
                FaceEmbedding.cosine(faceB, embedding($0))
            }
        }

        let bins = 8
        let sizeMismatch = ModelCompatibility.judgeSizeMismatch(judgeImageSize: bench.judge.config.imageSize, vae: bench.models.vae.config)
        let judgeError = sizeMismatch == nil ? try judgeOwnError(bench, count: quick ? 16 : 128) : nil
        let landing = FidelityStatistics.landingLines(guided, truth)  // empty for a grid of one target
        let report = Report(
            guidance: ["weight": base.guidance, "fraction": base.guidanceFraction, "repeats": Float(base.guidanceRepeats),
                       "lookahead": Float(base.guidanceLookahead), "samples": Float(base.guidanceSamples),
                       "lookahead_gain": base.guidanceLookaheadGain ?? 1, "push_limit": base.guidancePushLimit ?? 0,
                       "cfg": base.cfg.scale, "cfg_combined": base.cfg.combined, "cfg_face": base.cfg.face,
                       "cfg_from": Float(base.cfgFrom), "cfg_early": base.earlyCFG.scale, "pose_prior": base.posePrior ?? 0],
            lookaheadTargets: base.guidanceLookaheadTargets ?? PoseQuantity.allCases,
            poseMae: ["guided": maeGuided.named, "unguided": maeUnguided.named],
            poseMaeStandardError: standardErrors(guided: guided, unguided: unguided, truth: truth, seeds: seeds),
            faceAlignment: ["same_face": same.mean, "random_face": random.mean],
            yawSweep: yaw.figures(binning: .init(count: bins, range: -60...60)),
            faceMixSweep: mix.figures(),
            judgeError: judgeError,
            guidedLanding: landing.isEmpty ? nil : landing)
        try writePlots(truth: truth, guided: guided, unguided: unguided, same: same, random: random, yaw: yaw, mix: mix)
        if json {
            print(try SortedJSON.string(report))
        } else {
            print(text(report, judgeErrorMissing: sizeMismatch))
        }
    }

    /// Each pose error's standard error between targets (the grid holds `seeds` renders of each
    /// target in turn); nil for a single target.
    private func standardErrors(guided: [PoseValues], unguided: [PoseValues], truth: [PoseValues],
                                seeds: Int) -> [String: [String: Float]]? {
        guard let g = FidelityStatistics.standardErrorOfMeanAbsoluteError(guided, truth, groupSize: seeds),
              let u = FidelityStatistics.standardErrorOfMeanAbsoluteError(unguided, truth, groupSize: seeds) else { return nil }
        return ["guided": g.named, "unguided": u.named]
    }

    /// The judge's error on `count` fresh renders and on their round trips through the model's
    /// VAE (the two must work at the same size).
    private func judgeOwnError(_ bench: JudgedBench, count: Int) throws -> [String: [String: Float]] {
        let measured = try ReconstructionFidelity.measure(vae: bench.models.vae, judge: bench.judge, count: count, seed: 0x7AE5)
        return ["renders": measured.judgeOnRenders.mean.named, "decodings": measured.judgeOnReconstructions.mean.named]
    }

    private func judgeErrorLines(_ error: [String: [String: Float]]?, missing reason: String?) -> String {
        if let reason { return "the judge's own error: not measured (\(reason))" }
        return """
        the judge's own error, renders:                   \(JudgedBench.poseRow(error?["renders"]))
        the judge's own error, their VAE reconstructions: \(JudgedBench.poseRow(error?["decodings"]))
        """
    }

    private func writePlots(truth: [PoseValues], guided: [PoseValues], unguided: [PoseValues], same: [Float], random: [Float],
                            yaw: SweepRuns, mix: SweepRuns) throws {
        let (blue, grey, red): ((UInt8, UInt8, UInt8), (UInt8, UInt8, UInt8), (UInt8, UInt8, UInt8)) = ((30, 90, 200), (150, 150, 150), (200, 40, 40))
        let index = (0..<truth.count).map(Float.init)
        for (q, name) in PoseValues.names.enumerated() {
            // Absolute error per render: guided in blue, unguided in grey.
            let plot = MetricPlot.render(x: index, series: [
                (zip(unguided, truth).map { abs($0.array[q] - $1.array[q]) }, grey),
                (zip(guided, truth).map { abs($0.array[q] - $1.array[q]) }, blue)])
            try write(plot, "pose_error_\(name).png")
        }
        try write(MetricPlot.render(x: index, series: [(random, grey), (same, blue)]), "face_alignment.png")
        // One colour per run, red for the first (the single sweep of earlier versions); the yaw
        // plot's grey diagonal is where the targets would put the judged yaw.
        let runColors: [(UInt8, UInt8, UInt8)] = [red, (230, 140, 20), (40, 150, 60), (140, 60, 180)]
        func runs(_ sweep: SweepRuns) -> [(values: [Float], color: (UInt8, UInt8, UInt8))] {
            sweep.judged.enumerated().map { ($1, runColors[$0 % runColors.count]) }
        }
        let yawValues = yaw.sweep.values
        try write(MetricPlot.render(x: yawValues, series: [(yawValues, grey)] + runs(yaw)), "yaw_sweep.png")
        try write(MetricPlot.render(x: mix.sweep.values, series: runs(mix)), "face_mix_sweep.png")
    }

    private func write(_ image: SynthImage, _ name: String) throws {
        try failing("bench fidelity") { try image.rgbImage.writePNG(to: plotsDir + "/" + name) }
    }

    private func f3(_ value: Float?) -> String { String(format: "%.3f", value ?? .nan) }

    private func progress(_ what: String, _ done: Int, _ total: Int) {
        guard !json else { return }
        ProgressLine.show("  \(what) \(done)/\(total)")
        if done == total { ProgressLine.end() }
    }

    /// How the guided renders read ahead, for the text summary ("" when they did not).
    private func lookaheadText(_ r: Report) -> String {
        let timestep = Int(r.guidance["lookahead"] ?? 0), samples = Int(r.guidance["samples"] ?? 1)
        guard timestep > 0 else { return "" }
        return ", reading \(r.lookaheadTargets.map(\.rawValue).joined(separator: " ")) ahead at t = \(timestep)"
            + " with gain \(String(format: "%g", r.guidance["lookahead_gain"] ?? 1))" + (samples > 1 ? " (\(samples) readings)" : "")
    }

    /// The bound on each step's push, for the text summary ("" when there is none).
    private func pushLimitText(_ r: Report) -> String {
        guard let limit = r.guidance["push_limit"], limit > 0 else { return "" }
        return ", each push at most \(String(format: "%g", limit)) of the step's noise prediction"
    }

    /// The line under a pose MAE with its standard error; nothing for a grid of one target.
    private func standardErrorLine(_ figures: [String: Float]?) -> String {
        figures.map { "\n  standard error:   \(JudgedBench.poseRow($0))" } ?? ""
    }

    /// The landing lines' line of the summary, on a line of its own (nothing for a grid of one
    /// target, which draws no line).
    private func landingText(_ lines: [String: [String: Float]]?) -> String {
        let pairs = PoseValues.names.compactMap { name -> String? in
            guard let line = lines?[name], let slope = line["slope"], let intercept = line["intercept"] else { return nil }
            return String(format: "%@ %.3f, %+.4f", name, slope, intercept)
        }
        return pairs.isEmpty ? "" : "\nguided renders land at (judged = slope * target + intercept): " + pairs.joined(separator: "; ")
    }

    private func text(_ r: Report, judgeErrorMissing: String?) -> String {
        let row = JudgedBench.poseRow
        return """
        pose guidance: weight \(r.guidance["weight"] ?? .nan), on the first \(Int(((r.guidance["fraction"] ?? 0) * 100).rounded()))% of the steps, \(Int(r.guidance["repeats"] ?? 1)) pass(es) each\
        \(lookaheadText(r))\(pushLimitText(r))
        pose MAE, guided:   \(row(r.poseMae["guided"]))\(standardErrorLine(r.poseMaeStandardError?["guided"]))
        pose MAE, unguided: \(row(r.poseMae["unguided"]))\(standardErrorLine(r.poseMaeStandardError?["unguided"]))\(landingText(r.guidedLanding))
        face alignment: same face \(f3(r.faceAlignment["same_face"])), random face \(f3(r.faceAlignment["random_face"]))
        yaw sweeps (\(Int(r.yawSweep["sweeps"] ?? 0))): spearman mean \(f3(r.yawSweep["spearman"])), worst \(f3(r.yawSweep["spearman_worst"])); bins filled mean \(f3(r.yawSweep["bins_filled"])), fewest \(Int(r.yawSweep["bins_filled_fewest"] ?? 0)) of \(Int(r.yawSweep["bins"] ?? 0))
        face-mix sweeps (\(Int(r.faceMixSweep["sweeps"] ?? 0))): spearman mean \(f3(r.faceMixSweep["spearman"])), worst \(f3(r.faceMixSweep["spearman_worst"]))
        \(judgeErrorLines(r.judgeError, missing: judgeErrorMissing))
        plots in \(plotsDir)/
        """
    }
}
