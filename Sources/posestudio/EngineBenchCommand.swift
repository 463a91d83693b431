import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio bench engine`: sgemm, UNet forward, guidance gradient and VAE decode timings.
struct EngineBenchCommand: ParsableCommand, ModelChoice {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Time the engine on the default model configuration (and compare with PyTorch).",
        discussion: """
        Uses the UNet and VAE in --model (diffusers folders unet/ and vae/); without --model, \
        the default model when there is one (as for the other commands), else seeded random weights of the default configuration. \
        For a fair comparison run tools/reference/bench_torch.py --model DIR on the same folder \
        and pass its JSON with --torch.
        """
    )

    @Option(help: ArgumentHelp("A model folder holding unet/ and vae/ in diffusers layout.", discussion: defaultModelHelp))
    var model: String?

    @Option(help: "JSON written by tools/reference/bench_torch.py for the same model folder.")
    var torch: String?

    @Option(help: "Timed runs per measurement (the median is reported).")
    var runs = 30

    @Flag(help: "Also time a batch-32 UNet training step (forward + backward).")
    var training = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let (unet, vae, description) = try loadModels()
        let baseline = try torch.map { try ConfigFile.decode(EngineBenchmark.TorchBaseline.self, from: URL(fileURLWithPath: $0)) }
        var benchmark = EngineBenchmark(unet: unet, vae: vae, modelDescription: description)
        benchmark.runs = max(runs, 1)
        benchmark.includeTraining = training
        let report = benchmark.run(torch: baseline) { stage in
            if !json { FileHandle.standardError.write(Data("  timing \(stage)...\n".utf8)) }
        }
        if json {
            print(try SortedJSON.string(report))
        } else {
            print(Self.text(report))
        }
    }

    private func loadModels() throws -> (UNet2DConditionModel, AutoencoderKL, String) {
        let folder = modelPathIfAny
        guard let folder else {
            return (try UNet2DConditionModel(config: DefaultModelConfigs.unet, seed: 1),
                    try AutoencoderKL(config: DefaultModelConfigs.vae, seed: 2),
                    "default configuration, seeded random weights")
        }
        let root = URL(fileURLWithPath: folder)
        return (try UNet2DConditionModel.load(from: root.appendingPathComponent("unet")),
                try AutoencoderKL.load(from: root.appendingPathComponent("vae")),
                folder)
    }

    static func text(_ r: EngineBenchmark.Report) -> String {
        func ms(_ v: Double) -> String { String(format: "%8.2f ms", v) }
        var lines = [
            "model: \(r.model)   OpenBLAS threads: \(r.threads), kernels: \(r.blasKernels)   runs: \(r.runs) (median)",
            String(format: "sgemm 1024^3            %8.1f GFLOP/s", r.sgemmGFLOPS),
        ]
        for batch in r.unetForwardMs.keys.sorted(by: { Int($0) ?? 0 < Int($1) ?? 0 }) {
            lines.append("UNet forward, batch \(batch)   \(ms(r.unetForwardMs[batch] ?? .nan))")
        }
        lines.append(String(format: "UNet achieved           %8.1f GFLOP/s (%.3f GFLOP per forward)", r.unetGFLOPS, r.unetGFLOPPerForward))
        lines.append("guidance gradient       \(ms(r.guidanceGradMs))")
        lines.append("VAE decode, batch 1     \(ms(r.vaeDecodeMs))")
        if let train = r.unetTrainStepMs { lines.append("UNet train step, b 32   \(ms(train))") }
        if let ratios = r.ratiosVsTorch {
            lines.append("Swift / PyTorch (below 1 is faster):")
            for key in ratios.keys.sorted() {
                lines.append("  " + key.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: " %6.2f", ratios[key] ?? .nan))
            }
        } else {
            lines.append("Swift / PyTorch: not measured (pass --torch FILE from tools/reference/bench_torch.py)")
        }
        return lines.joined(separator: "\n")
    }
}
