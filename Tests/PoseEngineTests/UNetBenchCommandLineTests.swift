import Foundation
import Testing
@testable import PoseEngine

/// `posestudio bench unet` end to end on the tiny test model.
@Suite struct UNetBenchCommandLineTests {
    @Test func benchUNetReportsEachConditioningAtEachTimestep() throws {
        try #require(FileManager.default.fileExists(atPath: CommandLineProcess.executable.path), "build posestudio first (swift build)")
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }

        let result = try CommandLineProcess.run(["bench", "unet", "--count", "3", "--timesteps", "10", "500", "--json", "--model", folder.path])
        try #require(result.status == 0, "\(result.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: result.output) as? [String: Any])
        #expect(report["count"] as? Int == 3 && report["timesteps"] as? [Int] == [10, 500])
        let names: Set = ["none", "prompt", "face", "prompt_and_face"]
        for key in ["mse", "face_mse"] {
            let table = report[key] as? [String: [Double]]
            #expect(table.map { Set($0.keys) } == names, "\(key)")
            #expect(table?.values.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.isFinite && $0 > 0 } } == true, "\(key)")
        }
        for (meanKey, rowsKey) in [("mean_mse", "mse"), ("mean_face_mse", "face_mse")] {
            let means = try #require(report[meanKey] as? [String: Double]), rows = try #require(report[rowsKey] as? [String: [Double]])
            #expect(Set(means.keys) == names)
            for (name, mean) in means {
                let rowMean = (rows[name]?.reduce(0, +) ?? 0) / 2
                #expect(abs(mean - rowMean) <= 1e-5 * rowMean, "\(meanKey) \(name)")
            }
        }

        let refused = try CommandLineProcess.run(["bench", "unet", "--timesteps", "1000", "--model", folder.path])
        #expect(refused.status != 0 && refused.error.contains("--timesteps: 1000 is outside 0 to 999"))
    }

    /// A face encoder whose embeddings the projector cannot read is named before anything is measured.
    @Test func benchUNetRefusesAFaceEncoderThatDoesNotFitTheProjector() throws {
        try #require(FileManager.default.fileExists(atPath: CommandLineProcess.executable.path), "build posestudio first (swift build)")
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = StudioTestModels.configs.faceEncoder
        config.outputDim += 4
        try FaceEncoder(config: config, seed: 1).save(to: folder.appendingPathComponent("face_encoder"))

        let refused = try CommandLineProcess.run(["bench", "unet", "--count", "2", "--model", folder.path])
        #expect(refused.status != 0)
        #expect(refused.error.contains("\(folder.path): the UNet, text encoder and face projector do not fit this VAE and face encoder")
                && refused.error.contains("face_encoder output_dim 12 differs from face_projector embedding_dim 8"), "\(refused.error)")
    }
}
