import AtomicFiles
import Foundation

/// A model that lives in a diffusers component folder: `config.json` plus
/// `diffusion_pytorch_model.safetensors`, as `save_pretrained` writes them.
public protocol DiffusersComponent: ParameterVisitable {
    associatedtype Config: Codable & Sendable
    static var weightsFileName: String { get }
    /// The precision `save` stores the weights in.
    static var storedDType: SafeTensorsDType { get }
    var config: Config { get }
    init(config: Config, seed: UInt64) throws
}

extension DiffusersComponent {
    public static var weightsFileName: String { "diffusion_pytorch_model.safetensors" }
    public static var storedDType: SafeTensorsDType { .f32 }

    /// Builds the model from `directory/config.json` and loads its weights strictly:
    /// every parameter present with its shape, nothing extra, all values finite.
    public static func load(from directory: URL) throws -> Self {
        let configURL = directory.appendingPathComponent("config.json")
        let config = try ConfigFile.decode(Config.self, from: configURL)
        let model: Self
        do {
            model = try Self(config: config, seed: 0)
        } catch let error as ModelConfigError {
            throw ComponentConfigError(path: configURL.path, problem: error)
        }
        try loadWeights(into: model, fromFile: directory.appendingPathComponent(weightsFileName).path)
        return model
    }

    /// The configuration as compact JSON with sorted keys: equal strings, equal layouts.
    public var configJSON: String {
        (try? SortedJSON.string(config, pretty: false)) ?? ""
    }

    /// Writes `config.json` and the weights, each atomically, creating the folder if needed.
    public func save(to directory: URL, metadata: [String: String] = [:]) throws {
        let weightsPath = directory.appendingPathComponent(Self.weightsFileName).path
        try checkStorable(at: weightsPath)
        try FolderMaker.make(directory)
        let json = try SortedJSON.data(config)
        let configWriter = try AtomicFileWriter(path: directory.appendingPathComponent("config.json").path, followingLinks: false)
        try configWriter.write(Array(json))
        try configWriter.commit()
        try saveWeights(of: self, to: weightsPath, metadata: metadata, dtype: Self.storedDType)
    }
}

extension DiffusersComponent {
    /// Refuses weights too large for `storedDType`: stored, they would load as infinity, which
    /// the strict loader refuses, and the component could not be loaded again.
    private func checkStorable(at path: String) throws(SafeTensorsError) {
        guard let largest = Self.storedDType.largestFinite else { return }
        for (name, parameter) in namedParameters() {
            if let value = parameter.value.scalars.first(where: { $0.isFinite && abs($0) > largest }) {
                throw SafeTensorsError(path: path, kind: .beyondRange(tensor: name, dtype: Self.storedDType.name, value: value))
            }
        }
    }
}

extension UNet2DConditionModel: DiffusersComponent {}
extension AutoencoderKL: DiffusersComponent {}

extension TextEncoder: DiffusersComponent {
    /// transformers' file name, as diffusers pipelines keep text encoders.
    public static var weightsFileName: String { "model.safetensors" }
}

extension FaceEncoder: DiffusersComponent {
    public static var weightsFileName: String { "model.safetensors" }
}

extension FaceProjector: DiffusersComponent {
    public static var weightsFileName: String { "model.safetensors" }
}

extension PoseReadoutHead: DiffusersComponent {
    public static var weightsFileName: String { "model.safetensors" }
}

extension PoseJudge: DiffusersComponent {
    public static var weightsFileName: String { "model.safetensors" }
    /// Half precision: the judge only measures, its readings move by hundredths of a degree
    /// (docs/training/judge/report.md), and it is a model folder's largest file after the UNet.
    public static var storedDType: SafeTensorsDType { .f16 }
}
