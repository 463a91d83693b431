import ArgumentParser
import AtomicFiles
import Foundation
import ImageFiles
import PoseEngine

/// `posestudio bench warm`: does a warm update still follow the new targets? The studio resumes
/// its last trajectory after small target moves; this judges such renders against fresh ones.
struct WarmBenchCommand: ParsableCommand, ModelChoice {
    static let configuration = CommandConfiguration(
        commandName: "warm",
        abstract: "Judge renders resumed from a cached trajectory after slider-sized target moves against fresh renders.",
        discussion: """
        Each case takes the fidelity grid's targets (all five on) and nudges each toward the middle \
        of its range by the largest move the studio still resumes after: pitch 9 degrees, yaw 18, \
        x and y 0.1, scale 0.065. The nudged settings are rendered twice: resumed at --resume-step \
        from the first settings' trajectory and walked to the end in --resumed-steps steps, as the \
        studio's warm update does, and from noise. pose_mae.resumed and \
        pose_mae.fresh are the judge's errors against the nudged targets. The same seed's render of \
        the first targets is judged too: response.resumed and response.fresh are the judged moves \
        from it as a share of the nudge (1: the head moved as far as the target, 0: not at all), \
        which tell apart small moves that a render's own error would hide. image_l1 is the mean \
        absolute difference between the resumed and fresh pictures (0 to 1). Guidance and CFG weights \
        left unset are the studio's defaults.
        """)

    @Option(help: ArgumentHelp("The model folder (needs judge/).", discussion: defaultModelHelp)) var model: String?
    @Flag(help: "A small grid (4 targets x 2 seeds): a smoke test, too few cases for the response to settle.") var quick = false
    @Flag(help: "Print JSON.") var json = false
    @Option(name: .customLong("resume-step"), help: "The step resumed renders start at (default: the studio's).")
    var resumeStep: Int?
    @Option(name: .customLong("resumed-steps"), help: "The steps resumed renders take from there to the end (default: the studio's).")
    var resumedSteps: Int?
    @Option(name: .customLong("images-dir"), help: ArgumentHelp(
        "Also keep each case's pictures here, to look at what was judged.",
        discussion: "case-N.png shows, left to right, the render of the first targets, the resumed render and the fresh one."))
    var imagesDir: String?
    @Option(help: "Sampling steps.") var steps: Int?
    @OptionGroup var guidanceWeights: GuidanceOptions
    @OptionGroup var cfgWeights: CFGOptions

    /// The largest move the studio resumes after: 9 degrees of pitch, 18 of yaw, 0.1 of x and y,
    /// 0.065 of scale.
    static let nudge = GuidanceTargets.largestResumableMove

    struct Report: Codable {
        var resumeStep: Int
        var resumedSteps: Int
        var steps: Int
        var cases: Int
        var poseMae: [String: [String: Float]]
        var response: [String: [String: Float]]
        var imageL1: Float

        enum CodingKeys: String, CodingKey {
            case resumeStep = "resume_step", resumedSteps = "resumed_steps", steps, cases, poseMae = "pose_mae", response, imageL1 = "image_l1"
        }
    }

    func run() throws {
        let base = try JudgedBench.settings(steps: steps, guidance: guidanceWeights, cfg: cfgWeights)
        guard base.steps >= 2 else {
            throw ValidationError("bench warm needs at least 2 steps, one before the resume and one after (got --steps \(base.steps))")
        }
        let resume = resumeStep ?? SamplerActor.resumeStep(for: base)
        guard (1..<base.steps).contains(resume) else {
            throw ValidationError("--resume-step must be between 1 and \(base.steps - 1) (got \(resume))")
        }
        let remaining = resumedSteps ?? SamplerActor.resumedSteps(steps: base.steps, resumeStep: resume)
        guard (1...base.steps - resume).contains(remaining) else {
            throw ValidationError("--resumed-steps must be between 1 and \(base.steps - resume) (got \(remaining))")
        }
        if base.guidance == 0 {
            warn("pose guidance is off (--guidance 0), so no render follows the moved targets")
        } else if resume >= base.guidedSteps(of: base.steps) {
            warn("guidance acts on the first \(base.guidedSteps(of: base.steps)) steps only, so renders resumed at step "
                 + "\(resume) cannot follow the moved targets")
        }
        let bench = try JudgedBench(model: modelPath, command: "bench warm")
        if let imagesDir { try FolderMaker.make(imagesDir) }

        let (targets, seeds) = JudgedBench.defaultGrid(quick: quick)
        var truth: [PoseValues] = [], resumed: [PoseValues] = [], fresh: [PoseValues] = [], l1: [Float] = []
        var resumedMoves: [PoseValues] = [], freshMoves: [PoseValues] = []
        for item in JudgedBench.grid(base, targets: targets, seeds: seeds) {
            let first = item.settings
            var moved = first
            moved.targets = first.targets.nudged(by: Self.nudge)
            let warm = try failing("bench warm") { try bench.engine.render(moved, resumingAt: resume, inSteps: remaining, trajectoryOf: first) }
            let cold = try failing("bench warm") { try bench.engine.render(moved).image }
            let original = try failing("bench warm") { try bench.engine.render(first).image }
            let before = bench.judged(original)
            if let imagesDir {
                try failing("bench warm") {
                    try RGBImage.grid([original, warm, cold].map { try $0.rgbImage }, columns: 3)
                        .writePNG(to: imagesDir + "/case-\(truth.count + 1).png")
                }
            }
            let (warmPose, coldPose) = (bench.judged(warm), bench.judged(cold))
            truth.append(moved.targets.values)
            resumed.append(warmPose)
            fresh.append(coldPose)
            let nudge = moved.targets.values.array.enumerated().map { $1 - first.targets.values.array[$0] }
            func share(_ after: PoseValues) -> PoseValues {
                PoseValues(array: after.array.indices.map { nudge[$0] == 0 ? 0 : (after.array[$0] - before.array[$0]) / nudge[$0] })
            }
            resumedMoves.append(share(warmPose))
            freshMoves.append(share(coldPose))
            l1.append(Self.meanAbsoluteDifference(warm, cold))
            if !json { ProgressLine.show("  case \(truth.count)/\(targets * seeds)") }
        }
        if !json { ProgressLine.end() }
        let report = Report(
            resumeStep: resume, resumedSteps: remaining, steps: base.steps, cases: truth.count,
            poseMae: ["resumed": FidelityStatistics.meanAbsoluteError(resumed, truth).named,
                      "fresh": FidelityStatistics.meanAbsoluteError(fresh, truth).named],
            response: ["resumed": Self.mean(resumedMoves).named, "fresh": Self.mean(freshMoves).named],
            imageL1: l1.mean)
        print(json ? try SortedJSON.string(report) : text(report))
    }

    private func warn(_ text: String) {
        FileHandle.standardError.write(Data("posestudio bench warm: \(text)\n".utf8))
    }

    static func mean(_ values: [PoseValues]) -> PoseValues {
        PoseValues(array: (0..<PoseValues.count).map { q in values.reduce(0) { $0 + $1.array[q] } / Float(max(values.count, 1)) })
    }

    static func meanAbsoluteDifference(_ a: SynthImage, _ b: SynthImage) -> Float {
        let sum = zip(a.pixels, b.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        return Float(sum) / Float(max(a.pixels.count, 1) * 255)
    }

    private func text(_ r: Report) -> String {
        let row = JudgedBench.poseRow
        return """
        \(r.cases) nudged targets, resumed at step \(r.resumeStep) of \(r.steps) and walked to the end in \(r.resumedSteps) steps
        pose MAE, resumed: \(row(r.poseMae["resumed"]))
        pose MAE, fresh:   \(row(r.poseMae["fresh"]))
        share of the nudge the head moved, resumed: \(row(r.response["resumed"]))
        share of the nudge the head moved, fresh:   \(row(r.response["fresh"]))
        resumed vs fresh pictures: mean absolute difference \(String(format: "%.4f", r.imageL1))
        """
    }
}
