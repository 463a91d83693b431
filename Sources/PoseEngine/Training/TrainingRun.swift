import AtomicFiles
import Foundation

/// The bookkeeping every component's training shares: a run folder with a
/// resumable checkpoint (weights, optimiser moments, EMA, step), the loss log,
/// progress reports, and the learning-rate schedule. A component's trainer
/// supplies only `step`: render a batch, forward, backward, return losses.
public final class TrainingRun {
    public struct Options: Sendable {
        public var steps: Int
        public var learningRate: Float
        public var warmupSteps: Int
        public var checkpointEvery: Int
        public var emaDecay: Float?
        public var weightDecay: Float
        /// What the run was made from beyond its modules' configurations (for example the
        /// fingerprints of frozen networks it learns from): a checkpoint is resumed only by a
        /// run with the same values.
        public var provenance: [String: String]

        public init(steps: Int, learningRate: Float, warmupSteps: Int = 100, checkpointEvery: Int = 250,
                    emaDecay: Float? = nil, weightDecay: Float = 0.01, provenance: [String: String] = [:]) {
            self.steps = steps
            self.learningRate = learningRate
            self.warmupSteps = warmupSteps
            self.checkpointEvery = checkpointEvery
            self.emaDecay = emaDecay
            self.weightDecay = weightDecay
            self.provenance = provenance
        }

        /// The checkpoint metadata a resuming run must match: the peak learning rate, since the
        /// schedule's later steps follow from it, and the provenance.
        var recordedSettings: [String: String] {
            var settings = ["peak_learning_rate": String(learningRate)]
            for (key, value) in provenance { settings["provenance.\(key)"] = value }
            return settings
        }
    }

    public let component: String
    public let directory: URL
    public let options: Options
    /// The modules trained together, each under its own name prefix in the checkpoint.
    public let modules: [(name: String, module: ParameterVisitable)]
    public let optimizer: AdamW
    public private(set) var emas: [String: ExponentialMovingAverage] = [:]
    public private(set) var step = 0
    public private(set) var log: LossLog
    public private(set) var elapsedSeconds: Double = 0
    public private(set) var resumedFrom: Int?

    /// The losses `body` returns, the first being the one reported.
    public let lossColumns: [String]

    public var checkpointURL: URL { Self.checkpointURL(in: directory) }

    /// Where a run in `directory` keeps its checkpoint.
    public static func checkpointURL(in directory: URL) -> URL { directory.appendingPathComponent("checkpoint.safetensors") }

    /// Parameters of every module the run trains (frozen parts of them included).
    public var parameterCount: Int { modules.reduce(0) { $0 + $1.module.parameterCount } }

    public init(component: String, directory: URL, modules: [(name: String, module: ParameterVisitable)],
                options: Options, lossColumns: [String]) throws {
        self.component = component
        self.directory = directory
        self.modules = modules
        self.options = options
        self.lossColumns = lossColumns
        optimizer = AdamW(learningRate: options.learningRate, weightDecay: options.weightDecay)
        try FolderMaker.make(directory)
        if let decay = options.emaDecay {
            for (name, module) in modules { emas[name] = ExponentialMovingAverage(of: module, decay: decay) }
        }
        let resumed = try Self.restore(Self.checkpointURL(in: directory), modules: modules,
                                       optimizer: optimizer, emas: emas, layout: Self.layout(of: modules),
                                       settings: options.recordedSettings)
        // Its weights are those of a longer run, which this one would save as its own.
        if let resumed, resumed.step > options.steps {
            throw TrainingError.badCheckpoint(path: Self.checkpointURL(in: directory).path,
                                              reason: "it is at step \(resumed.step), past this run's \(options.steps) steps; pass --steps \(resumed.step) or more to finish it, or delete it or pass another --runs folder")
        }
        log = LossLog(path: directory.appendingPathComponent("loss.csv"),
                      columns: lossColumns + ["lr", "grad_norm", "seconds"], resumeStep: resumed?.step)
        step = resumed?.step ?? 0
        elapsedSeconds = resumed?.elapsed ?? 0
        resumedFrom = resumed?.step
    }

    /// Runs the remaining steps. `body(step)` accumulates gradients and returns
    /// named losses, the first of `lossColumns` being the one reported.
    public func run(progress: (TrainingProgress) -> Void, onCheckpoint: (Int) throws -> Void = { _ in },
                    body: (Int) throws -> [String: Float]) throws {
        let schedule = LearningRateSchedule(peak: options.learningRate, warmupSteps: options.warmupSteps, totalSteps: options.steps)
        let parameters = modules.flatMap { entry in entry.module.namedParameters().map { ("\(entry.name).\($0.name)", $0.parameter) } }
        let mainLoss = log.mainColumn
        var smoothed: Float?
        var recentSeconds: Double?
        while step < options.steps {
            let started = Date()
            optimizer.learningRate = schedule.rate(at: step)
            let losses = try body(step)
            // Every column: a side loss (a pose head's pushed rows) is part of the gradient too.
            let notFinite = losses.filter { !$0.value.isFinite }.keys.sorted().first
            guard let loss = losses[mainLoss], notFinite == nil else {
                let column = notFinite ?? mainLoss
                throw TrainingError.diverged(component: component, step: step, column: column, loss: losses[column] ?? .nan)
            }
            let norm = optimizer.update(parameters)
            step += 1
            for (name, module) in modules { emas[name]?.update(from: module, step: step) }
            let seconds = Date().timeIntervalSince(started)
            elapsedSeconds += seconds
            recentSeconds = recentSeconds.map { 0.9 * $0 + 0.1 * seconds } ?? seconds
            smoothed = smoothed.map { 0.95 * $0 + 0.05 * loss } ?? loss
            var values = losses.mapValues(Double.init)
            values["lr"] = Double(optimizer.learningRate)
            values["grad_norm"] = Double(norm)
            values["seconds"] = seconds
            log.append(step: step, values: values)
            progress(TrainingProgress(component: component, step: step, totalSteps: options.steps,
                                      smoothedLoss: smoothed ?? loss, losses: losses,
                                      secondsPerStep: recentSeconds ?? seconds, learningRate: optimizer.learningRate))
            if step % options.checkpointEvery == 0 || step == options.steps {
                try saveCheckpoint()
                try onCheckpoint(step)
            }
        }
    }

    /// Weights, optimiser state and EMA in one file, written atomically.
    public func saveCheckpoint() throws {
        var tensors: [(name: String, tensor: Tensor)] = []
        var shapes: [String: [Int]] = [:]
        for (name, module) in modules {
            module.visitParameters { parameterName, p in
                tensors.append(("\(name).\(parameterName)", p.value))
                shapes["\(name).\(parameterName)"] = p.shape
            }
            if let ema = emas[name] {
                var local: [String: [Int]] = [:]
                module.visitParameters { local[$0] = $1.shape }
                tensors += ema.tensors(shapes: local).map { ("\(name).\($0.name)", $0.tensor) }
            }
        }
        tensors += optimizer.stateTensors(shapes: shapes)
        let metadata = ["component": component, "step": String(step), "elapsed_seconds": String(format: "%.1f", elapsedSeconds),
                        "layout": Self.layout(of: modules)].merging(options.recordedSettings) { first, _ in first }
        try SafeTensors.write(tensors, to: checkpointURL.path, metadata: metadata)
        try log.save()
    }

    /// Puts the EMA weights (when kept) into the modules, for saving the final model.
    public func useAveragedWeights() {
        for (name, module) in modules { emas[name]?.copy(into: module) }
    }

    /// Each module's configuration, one line per module. Weights of the same shapes can belong to
    /// different networks (a group norm's scale is the same size whatever its group count), so a
    /// checkpoint is resumed only into the layout it was made with.
    static func layout(of modules: [(name: String, module: ParameterVisitable)]) -> String {
        modules.compactMap { name, module in (module as? any DiffusersComponent).map { "\(name) \($0.configJSON)" } }
            .joined(separator: "\n")
    }

    private static func restore(_ url: URL, modules: [(name: String, module: ParameterVisitable)], optimizer: AdamW,
                                emas: [String: ExponentialMovingAverage], layout: String,
                                settings: [String: String]) throws -> (step: Int, elapsed: Double)? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let archive = try SafeTensors.read(url.path)
        guard let step = archive.metadata["step"].flatMap(Int.init) else {
            throw TrainingError.badCheckpoint(path: url.path, reason: "it has no step in its metadata")
        }
        // Checkpoints from before layouts were recorded carry none and are trusted on their shapes.
        if let recorded = archive.metadata["layout"], recorded != layout {
            let changed = zip(recorded.split(separator: "\n"), layout.split(separator: "\n"))
                .first { $0 != $1 }.map { String($0.1.prefix { $0 != " " }) } ?? "the module list"
            throw TrainingError.badCheckpoint(path: url.path, reason: "it was made for another configuration (\(changed) differs); delete it or pass another --runs folder")
        }
        // Checkpoints from before a setting was recorded are trusted on it.
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            if let recorded = archive.metadata[key], recorded != value {
                let setting = key.hasPrefix("provenance.") ? String(key.dropFirst("provenance.".count)) : key
                throw TrainingError.badCheckpoint(path: url.path, reason: "it was made with \(setting) \(recorded), this run has \(value); resume with the settings it was made with, or delete it or pass another --runs folder")
            }
        }
        let all = try archive.tensors(named: archive.names)
        for (name, module) in modules {
            var missing: [String] = []
            module.visitParameters { parameterName, p in
                guard let t = all["\(name).\(parameterName)"], t.shape == p.shape else {
                    missing.append(parameterName)
                    return
                }
                p.value = t
            }
            guard missing.isEmpty else {
                throw TrainingError.badCheckpoint(path: url.path, reason: "\(missing.count) weights of \(name) are missing or have another shape (first: \(missing[0])); delete it to start over")
            }
            var emaTensors: [String: Tensor] = [:]
            for (key, t) in all where key.hasPrefix("\(name).ema.") { emaTensors[String(key.dropFirst(name.count + 1))] = t }
            emas[name]?.restore(emaTensors)
        }
        optimizer.restore(step: step, tensors: all.filter { $0.key.hasPrefix("adam.") })
        return (step, Double(archive.metadata["elapsed_seconds"] ?? "0") ?? 0)
    }
}

public enum TrainingError: Error, CustomStringConvertible {
    case diverged(component: String, step: Int, column: String, loss: Float)
    case badCheckpoint(path: String, reason: String)

    public var description: String {
        switch self {
        case .diverged(let component, let step, let column, let loss):
            return "\(component) training diverged at step \(step) (\(column) \(loss)); lower the learning rate or resume from the last checkpoint"
        case .badCheckpoint(let path, let reason):
            return "cannot resume from \(path): \(reason)"
        }
    }
}
