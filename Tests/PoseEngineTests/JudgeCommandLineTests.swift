import Foundation
import ImageFiles
import Testing
@testable import PoseEngine

/// `posestudio estimate` and `posestudio embed` end to end on a tiny model folder.
@Suite struct JudgeCommandLineTests {
    private var executable: URL { CommandLineProcess.executable }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: Data, error: String) {
        try CommandLineProcess.run(arguments)
    }

    /// Runs `body` with a tiny model folder and a scratch folder not yet made, both removed afterwards.
    private func withTinyModel(_ body: (_ model: URL, _ scratch: URL) throws -> Void) throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let model = try StudioTestModels.folder()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("train-\(UUID().uuidString)")
        defer {
            for folder in [model, scratch] { try? FileManager.default.removeItem(at: folder) }
        }
        try body(model, scratch)
    }

    /// `posestudio train pose_head` on `model` for `steps` steps of 2 pictures of 4 people, with its
    /// run folder under `runs` and the `extra` arguments.
    private func trainPoseHead(_ extra: [String], model: URL, runs: URL, steps: Int = 1) throws
        -> (status: Int32, output: Data, error: String) {
        try run(["train", "pose_head", "--steps", "\(steps)", "--batch", "2", "--identities", "4",
                 "--model", model.path, "--runs", runs.path] + extra)
    }

    /// A render of sample `index` written as a PNG of `size` pixels into `folder`.
    private func renderPNG(_ index: Int, size: Int, in folder: URL) throws -> String {
        let image = SynthDataset(seed: 2, imageSize: size, identityCount: 5).samples(index..<(index + 1), threads: 1)[0].image
        let path = folder.appendingPathComponent("face\(index)-\(size).png").path
        try RGBImage(width: image.width, height: image.height, pixels: image.pixels).writePNG(to: path)
        return path
    }

    @Test func estimatePrintsTheJudgesPoseAsTextAndJSON() throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = try renderPNG(0, size: 48, in: folder)
        let json = try run(["estimate", image, "--json", "--model", folder.path])
        #expect(json.status == 0, "\(json.error)")
        let values = try JSONSerialization.jsonObject(with: json.output) as? [String: Double]
        #expect(values.map { Set($0.keys) } == ["pitch", "yaw", "x", "y", "scale"])

        // The same numbers the engine gives for the same picture, resampled the same way.
        let judge = try PoseJudge.load(from: folder.appendingPathComponent("judge"))
        let picture = try RGBImage.load(from: image)
        let expected = judge.estimate(FaceImageInput.tensor(SynthImage(width: picture.width, height: picture.height,
                                                                       pixels: picture.pixels), size: 16))[0]
        #expect(abs((values?["yaw"] ?? .nan) - Double(expected.yaw)) < 1e-3)
        #expect(abs((values?["scale"] ?? .nan) - Double(expected.scale)) < 1e-5)

        let text = try run(["estimate", image, "--model", folder.path])
        let lines = String(decoding: text.output, as: UTF8.self).split(separator: "\n")
        #expect(text.status == 0 && lines.map { $0.split(separator: " ").first.map(String.init) } == ["pitch", "yaw", "x", "y", "scale"])
    }

    @Test func withoutModelTheEnvironmentVariableNamesTheModel() throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = try renderPNG(0, size: 48, in: folder)
        let named = try CommandLineProcess.run(["estimate", image, "--json"], environment: ["POSESTUDIO_MODEL": folder.path])
        let given = try run(["estimate", image, "--json", "--model", folder.path])
        #expect(named.status == 0 && named.output == given.output, "\(named.error)")

        let missing = folder.appendingPathComponent("no-such-model").path
        let wrong = try CommandLineProcess.run(["estimate", image], environment: ["POSESTUDIO_MODEL": missing])
        #expect(wrong.status == 1 && wrong.output.isEmpty)
        #expect(wrong.error.contains("there is no model folder at \(missing)") && wrong.error.contains("--model DIR"), "\(wrong.error)")
    }

    @Test func embedAveragesImagesIntoOneUnitVectorAndSavesIt() throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let images = [try renderPNG(1, size: 16, in: folder), try renderPNG(2, size: 32, in: folder)]
        let out = folder.appendingPathComponent("face.safetensors").path
        let result = try run(["embed"] + images + ["--out", out, "--model", folder.path])
        #expect(result.status == 0, "\(result.error)")
        let document = try JSONSerialization.jsonObject(with: result.output) as? [String: Any]
        let embedding = (document?["embedding"] as? [Double]) ?? []
        #expect(embedding.count == 8 && document?["dimension"] as? Int == 8)
        #expect(abs(embedding.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)

        let encoder = try FaceEncoder.load(from: folder.appendingPathComponent("face_encoder"))
        let single = try images.map { path in
            let picture = try RGBImage.load(from: path)
            return encoder.forward(FaceImageInput.tensor(SynthImage(width: picture.width, height: picture.height,
                                                                    pixels: picture.pixels), size: 16)).scalars
        }
        let expected = FaceEmbedding.average(single)
        #expect(zip(embedding, expected).allSatisfy { abs($0 - Double($1)) < 1e-4 })

        let saved = try SafeTensors.read(out)
        let tensor = try #require(try saved.tensors(named: ["embedding"])["embedding"])
        #expect(tensor.shape == [8] && zip(tensor.scalars, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(saved.metadata["images"] == images.joined(separator: "\n"))
    }

    @Test func badInputsFailWithAMessageAndStatusOne() throws {
        try #require(FileManager.default.fileExists(atPath: executable.path), "build posestudio first (swift build)")
        let folder = try StudioTestModels.folder()
        defer { try? FileManager.default.removeItem(at: folder) }

        let missing = try run(["estimate", "/nonexistent/head.png", "--model", folder.path])
        #expect(missing.status == 1 && missing.error.contains("/nonexistent/head.png"))

        let notImage = folder.appendingPathComponent("notes.png")
        try Data("not a picture".utf8).write(to: notImage)
        let garbage = try run(["embed", notImage.path, "--model", folder.path])
        #expect(garbage.status == 1 && garbage.error.contains("notes.png"))

        // A small PNG that would decode to 16384 x 16384 pixels is refused by name (the capped allocator says no).
        let tooLarge = try run(["estimate", Fixtures.url("huge-16384.png").path, "--model", folder.path])
        #expect(tooLarge.status == 1 && tooLarge.error.contains("huge-16384.png is too large an image"), "\(tooLarge.error)")

        // A file name starting with a dash is not read as a cluster of flags (its h printed the help, status 0).
        let dashed = try run(["embed", "-head.png", "--model", folder.path])
        #expect(dashed.status != 0 && dashed.error.contains("'-head.png' reads as one-letter options") && dashed.error.contains("./-head.png"),
                "\(dashed.error)")
        let separated = try run(["embed", "--model", folder.path, "--", "-head.png"])
        #expect(separated.status == 1 && separated.error.contains("-head.png") && !separated.error.contains("reads as one-letter options"),
                "after --, it is a file name: \(separated.error)")
        let negative = try run(["estimate", "-30", "--model", folder.path])
        #expect(!negative.error.contains("reads as one-letter options"), "a number is never refused as options: \(negative.error)")

        // A picture too small to hold a face gets no reading, however the networks would stretch it.
        for (width, height) in [(1, 1), (15, 40)] {
            let tiny = folder.appendingPathComponent("tiny-\(width)x\(height).png").path
            try RGBImage(width: width, height: height, pixels: [UInt8](repeating: 128, count: width * height * 3)).writePNG(to: tiny)
            let refused = try run(["estimate", tiny, "--model", folder.path])
            #expect(refused.status == 1 && refused.error.contains("is \(width)x\(height) pixels, smaller than 16 on a side"), "\(refused.error)")
        }

        let image = try renderPNG(0, size: 16, in: folder)
        let noModel = try run(["estimate", image, "--model", "/nonexistent/model"])
        #expect(noModel.status == 1 && noModel.error.contains("judge"))
        let noEncoder = try run(["embed", image, "--model", "/nonexistent/model"])
        #expect(noEncoder.status == 1 && noEncoder.error.contains("face_encoder"))
    }

    /// `train judge --init-from` trains an existing judge further: one warm-up step moves
    /// the weights a little away from the given judge, nowhere near a fresh one.
    @Test func trainJudgeInitFromStartsFromTheGivenWeights() throws {
        try withTinyModel { given, root in
            let result = try run(["train", "judge", "--steps", "1", "--batch", "2", "--identities", "4", "--eval-images", "2",
                                  "--seed", "7", "--init-from", given.path,
                                  "--model", root.appendingPathComponent("b").path,
                                  "--runs", root.appendingPathComponent("runs").path])
            try #require(result.status == 0, "\(result.error)")

            let start = try PoseJudge.load(from: given.appendingPathComponent("judge"))
            let trained = try PoseJudge.load(from: root.appendingPathComponent("b/judge")).parameterVector()
            let fresh = try PoseJudge(config: start.config, seed: 7).parameterVector()
            let moved = zip(start.parameterVector(), trained).map { abs($0 - $1) }.max() ?? .infinity
            let apart = zip(start.parameterVector(), fresh).map { abs($0 - $1) }.max() ?? 0
            #expect(moved < 0.01 && apart > 0.1, "moved \(moved), fresh weights differ by \(apart)")
            let report = try String(contentsOf: root.appendingPathComponent("runs/judge/report.md"), encoding: .utf8)
            #expect(report.contains("Started from the weights in \(given.path)"))
        }
    }

    /// A checkpoint goes on only with the seed, batch and world it was made with: another would
    /// continue on another stream of pictures.
    @Test func trainJudgeResumesOnlyWithTheSameSeedAndBatch() throws {
        try withTinyModel { given, root in
            let common = ["train", "judge", "--steps", "1", "--identities", "4", "--eval-images", "2", "--init-from", given.path,
                          "--model", root.appendingPathComponent("b").path, "--runs", root.appendingPathComponent("runs").path]
            let first = try run(common + ["--batch", "2", "--seed", "7"])
            try #require(first.status == 0, "\(first.error)")
            let reseeded = try run(common + ["--batch", "2", "--seed", "8"])
            #expect(reseeded.status == 1 && reseeded.error.contains("made with seed 7, this run has 8"), "\(reseeded.error)")
            let rebatched = try run(common + ["--batch", "3", "--seed", "7"])
            #expect(rebatched.status == 1 && rebatched.error.contains("made with batch 2, this run has 3"), "\(rebatched.error)")
            let again = try run(common + ["--batch", "2", "--seed", "7"])
            #expect(again.status == 0, "\(again.error)")
        }
    }

    /// `train judge --vae-round-trips` reads part of each batch through the --model folder's VAE
    /// and measures the held-out renders through it; a share outside [0, 1], or no VAE, is refused.
    @Test func trainJudgeWithRoundTripsMeasuresThroughTheVAE() throws {
        try withTinyModel { given, root in
            let common = ["train", "judge", "--steps", "1", "--batch", "2", "--identities", "4", "--eval-images", "2",
                          "--runs", root.appendingPathComponent("runs").path]
            let result = try run(common + ["--vae-round-trips", "0.5", "--init-from", given.path, "--model", given.path])
            try #require(result.status == 0, "\(result.error)")
            let report = try String(contentsOf: root.appendingPathComponent("runs/judge/report.md"), encoding: .utf8)
            #expect(report.contains("through the VAE") && report.contains("--vae-round-trips"))
            // Its checkpoint is not resumed without round trips.
            let withoutRoundTrips = try run(common + ["--init-from", given.path, "--model", given.path])
            #expect(withoutRoundTrips.status != 0 && withoutRoundTrips.error.contains("made with vae_round_trips 0.5, this run has 0.0"),
                    "\(withoutRoundTrips.error)")
            try FileManager.default.removeItem(at: root.appendingPathComponent("runs"))

            let tooMuch = try run(common + ["--vae-round-trips", "1.5", "--model", given.path])
            #expect(tooMuch.status != 0 && tooMuch.error.contains("between 0 and 1"))
            let noVAE = try run(common + ["--vae-round-trips", "0.5", "--model", root.appendingPathComponent("empty").path])
            #expect(noVAE.status != 0 && noVAE.error.contains("needs a VAE"))

            // A VAE that cannot be loaded costs the extra measurement, not the run; round trips need it.
            let weights = try FileManager.default.contentsOfDirectory(atPath: given.appendingPathComponent("vae").path)
                .filter { $0.hasSuffix(".safetensors") }
            for name in weights { try Data("not safetensors".utf8).write(to: given.appendingPathComponent("vae/" + name)) }
            let broken = ["--init-from", given.path, "--model", given.path]
            let measuredWithout = try run(common + broken)
            #expect(measuredWithout.status == 0 && measuredWithout.error.contains("cannot be loaded"), "\(measuredWithout.error)")
            let refused = try run(common + ["--vae-round-trips", "0.5"] + broken)
            #expect(refused.status != 0 && refused.error.contains("train judge"), "\(refused.error)")
        }
    }

    /// `train judge --init-from --layers-per-block` deepens the given judge before training it,
    /// and refuses to make it shallower.
    @Test func trainJudgeDeepensTheGivenJudge() throws {
        try withTinyModel { given, root in
            let arguments = ["train", "judge", "--steps", "1", "--batch", "2", "--identities", "4", "--eval-images", "2",
                             "--init-from", given.path, "--learning-rate", "1e-4",
                             "--model", root.appendingPathComponent("b").path, "--runs", root.appendingPathComponent("runs").path]
            let result = try run(arguments + ["--layers-per-block", "2"])
            try #require(result.status == 0, "\(result.error)")
            #expect(result.error.contains("deepened"))
            let deeper = try PoseJudge.load(from: root.appendingPathComponent("b/judge"))
            #expect(deeper.config.layersPerBlock == 2)
            #expect(deeper.namedParameters().contains { $0.name == "trunk.blocks.1.2.conv.weight" })

            // The deepened judge cannot be cut back, and depths outside the range are refused.
            let deeperFolder = root.appendingPathComponent("b").path
            let cut = try run(["train", "judge", "--steps", "1", "--batch", "2", "--identities", "4", "--eval-images", "2",
                               "--init-from", deeperFolder, "--layers-per-block", "1", "--model", deeperFolder,
                               "--runs", root.appendingPathComponent("runs2").path])
            #expect(cut.status != 0 && cut.error.contains("--layers-per-block 1 is fewer than the --init-from judge's 2"))
            let none = try run(arguments + ["--layers-per-block", "0"])
            #expect(none.status != 0 && none.error.contains("--layers-per-block must be in 1...64"))
        }
    }

    /// `train face_encoder --init-from --layers-per-block` continues the given encoder, deepened.
    @Test func trainFaceEncoderContinuesAndDeepensTheGivenEncoder() throws {
        try withTinyModel { given, root in
            let result = try run(["train", "face_encoder", "--steps", "1", "--batch", "8", "--identities", "4",
                                  "--eval-identities", "2", "--init-from", given.path, "--layers-per-block", "2",
                                  "--learning-rate", "1e-4", "--model", root.appendingPathComponent("b").path,
                                  "--runs", root.appendingPathComponent("runs").path])
            try #require(result.status == 0, "\(result.error)")
            let start = try FaceEncoder.load(from: given.appendingPathComponent("face_encoder"))
            let trained = try FaceEncoder.load(from: root.appendingPathComponent("b/face_encoder"))
            #expect(trained.config.layersPerBlock == 2)
            // Every weight the given encoder had moved only a warm-up step's worth.
            let before = Dictionary(uniqueKeysWithValues: start.namedParameters().map { ($0.name, $0.parameter.value.scalars) })
            let moved = trained.namedParameters().compactMap { name, parameter in
                before[name].map { zip($0, parameter.value.scalars).map { abs($0 - $1) }.max() ?? 0 }
            }
            #expect(moved.count == start.namedParameters().count && (moved.max() ?? .infinity) < 0.01, "moved \(moved.max() ?? .nan)")
            let report = try String(contentsOf: root.appendingPathComponent("runs/face_encoder/report.md"), encoding: .utf8)
            #expect(report.contains("Started from the weights in \(given.path)"))
        }
    }

    /// `train face_encoder --style-weights` takes one weight per style, says so in the report,
    /// and refuses a wrong count or all zeros.
    @Test func trainFaceEncoderTakesStyleWeights() throws {
        try withTinyModel { given, root in
            let arguments = ["train", "face_encoder", "--steps", "1", "--batch", "8", "--identities", "4",
                             "--eval-identities", "2", "--init-from", given.path,
                             "--model", root.appendingPathComponent("b").path, "--runs", root.appendingPathComponent("runs").path]
            let result = try run(arguments + ["--style-weights", "0", "0", "1", "0"])
            try #require(result.status == 0, "\(result.error)")
            let report = try String(contentsOf: root.appendingPathComponent("runs/face_encoder/report.md"), encoding: .utf8)
            #expect(report.contains("photo 0.0, cartoon 0.0, sketch 1.0, painting 0.0 (--style-weights)"))
            // (A negative weight cannot be typed: "-1" reads as an option, leaving too few weights.)
            for bad in [["1", "2"], ["0", "0", "0", "0"]] {
                let refused = try run(arguments + ["--style-weights"] + bad)
                #expect(refused.status != 0 && refused.error.contains("--style-weights takes 4 weights"), "\(bad): \(refused.error)")
            }
        }
    }

    /// `train face_projector --reference` refits the projector of a folder whose face encoder was
    /// replaced, and refits its seed-face distribution; the reference folder is only read, and the
    /// same encoder in both folders, or another UNet, is refused.
    @Test func trainFaceProjectorRefitsToANewEncoder() throws {
        try withTinyModel { given, root in
            let copy = root.appendingPathComponent("b")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: given, to: copy)
            let arguments = ["train", "face_projector", "--reference", given.path, "--model", copy.path,
                             "--runs", root.appendingPathComponent("runs").path, "--steps", "60", "--batch", "16",
                             "--identities", "6", "--eval-identities", "4", "--views", "2"]
            let same = try run(arguments)
            #expect(same.status != 0 && same.error.contains("same face encoder"))

            let encoder = try FaceEncoder.load(from: copy.appendingPathComponent("face_encoder"))
            perturbParameters(encoder, seed: 21, std: 0.3)
            try encoder.save(to: copy.appendingPathComponent("face_encoder"))
            let referenceProjector = try FaceProjector.load(from: given.appendingPathComponent("face_projector")).parameterVector()
            let result = try run(arguments)
            try #require(result.status == 0, "\(result.error)")

            // The refit projector agrees with the reference pair better than the reference projector does
            // on the new embeddings: "X relative error ... unrefitted, Y relative error ... refitted".
            let errors = result.error.split(separator: "\n").first { $0.contains("held-out agreement") }
                .map { $0.split(separator: " ").compactMap { Float($0) } } ?? []
            try #require(errors.count == 4, "\(result.error)")
            #expect(errors[2] < errors[0] && errors[3] > errors[1], "unrefitted \(errors[0...1]), refitted \(errors[2...3])")
            #expect(try FaceProjector.load(from: given.appendingPathComponent("face_projector")).parameterVector() == referenceProjector)

            // Seed faces now come from the new encoder's embeddings of the UNet's training people.
            let world = SynthDataset(seed: 1 &+ 100, imageSize: 16, identityCount: 6)
            let expected = try FaceEmbeddingDistribution.fit(IdentityEmbeddings.compute(dataset: world, encoder: encoder, views: 2).vectors)
            let fitted = try FaceEmbeddingDistribution.load(from: FaceEmbeddingDistribution.url(inModelFolder: copy))
            #expect(zip(fitted.mean, expected.mean).allSatisfy { abs($0 - $1) < 1e-5 })

            // A --model whose UNet is not the reference's.
            let unet = try UNet2DConditionModel.load(from: copy.appendingPathComponent("unet"))
            perturbParameters(unet, seed: 22)
            try unet.save(to: copy.appendingPathComponent("unet"))
            let otherUNet = try run(arguments.map { $0.hasSuffix("/runs") ? $0 + "2" : $0 })
            #expect(otherUNet.status != 0 && otherUNet.error.contains("UNet is not"))
        }
    }

    /// `train pose_head --init-from` continues the given head on the given base model.
    @Test func trainPoseHeadInitFromStartsFromTheGivenWeights() throws {
        try withTinyModel { given, runs in
            let start = try PoseReadoutHead.load(from: given.appendingPathComponent("pose_head")).parameterVector()
            // Gains measured for the old weights do not carry over to the trained head.
            let configURL = given.appendingPathComponent("pose_head/config.json")
            var config = try ConfigFile.decode(PoseReadoutHeadConfig.self, from: configURL)
            config.guidanceGains = [1, 3, 1, 1, 1]
            config.guidanceCalibration = [[1, 0], [1, 0], [1, 0], [1, 0], [0.8, 0.15]]
            try SortedJSON.data(config).write(to: configURL)
            let result = try trainPoseHead(["--seed", "7", "--init-from", given.path], model: given, runs: runs)
            try #require(result.status == 0, "\(result.error)")
            #expect(result.error.contains("guidance_gains [1.0, 3.0") && result.error.contains("and guidance_calibration [[1.0, 0.0]"),
                    "the dropped measurements are named: \(result.error)")

            let trained = try PoseReadoutHead.load(from: given.appendingPathComponent("pose_head"))
            #expect(trained.config.guidanceGains == nil && trained.config.guidanceCalibration == nil)
            let fresh = try PoseReadoutHead(config: trained.config, seed: 7).parameterVector()
            let moved = zip(start, trained.parameterVector()).map { abs($0 - $1) }.max() ?? .infinity
            let apart = zip(start, fresh).map { abs($0 - $1) }.max() ?? 0
            #expect(moved < 0.01 && apart > 0.1, "moved \(moved), fresh weights differ by \(apart)")
            let report = try String(contentsOf: runs.appendingPathComponent("pose_head/report.md"), encoding: .utf8)
            #expect(report.contains("Started from the weights in \(given.path)") && report.contains("MAE at t = 50"))
        }
    }

    /// `train unet` writes, beside the projector, the distribution that seed faces are drawn from:
    /// fitted to the identity embeddings it trained on.
    @Test func trainUNetWritesTheFaceDistribution() throws {
        try withTinyModel { given, runs in
            let result = try run(["train", "unet", "--steps", "1", "--batch", "2", "--identities", "6", "--views", "1",
                                  "--init-from", given.path, "--model", given.path, "--runs", runs.path])
            try #require(result.status == 0, "\(result.error)")
            let distribution = try FaceEmbeddingDistribution.load(
                from: FaceEmbeddingDistribution.url(inModelFolder: given))
            let archive = try SafeTensors.read(runs.appendingPathComponent("unet/identity_embeddings.safetensors").path)
            let embeddings = try archive.tensor(named: "embeddings")
            let d = embeddings.shape[1]
            let rows = (0..<embeddings.shape[0]).map { Array(embeddings.scalars[($0 * d)..<(($0 + 1) * d)]) }
            // posestudio may run other OpenBLAS kernels than this process (BLASKernels), which sum in
            // another order: equal to float rounding, not bit for bit.
            let fitted = try FaceEmbeddingDistribution.fit(rows)
            let apart = zip(distribution.mean + distribution.scaleTril, fitted.mean + fitted.scaleTril).map { abs($0 - $1) }.max() ?? .infinity
            #expect(apart < 1e-4 && distribution.mean.count == fitted.mean.count, "largest difference \(apart)")
            #expect(try StudioModels.load(folder: given).faceDistribution == distribution)
        }
    }

    /// A new head reads each down block's output by default, the mid block alone on request; a
    /// head to continue keeps what it reads; a skip the UNet lacks is refused by its number.
    @Test func trainPoseHeadChoosesTheSkipsANewHeadReads() throws {
        try withTinyModel { given, runs in
            let unet = try UNet2DConditionModel.load(from: given.appendingPathComponent("unet")).config
            func train(_ extra: [String]) throws -> (status: Int32, output: Data, error: String) {
                try trainPoseHead(extra, model: given, runs: runs.appendingPathComponent("\(extra.count)"))
            }
            func reads() throws -> [Int] {
                try PoseReadoutHead.load(from: given.appendingPathComponent("pose_head")).config.skipReads.map(\.index)
            }
            try #require(try train([]).status == 0)
            #expect(try reads() == unet.blockOutputSkips && !unet.blockOutputSkips.isEmpty)
            try #require(try train(["--mid-block-only"]).status == 0)
            #expect(try reads() == [])
            let continued = try train(["--init-from", given.path, "--read-skips", "0", "1"])
            #expect(continued.status != 0 && continued.error.contains("reads skips [], not [0, 1]"), "\(continued.error)")
            let missing = try train(["--read-skips", "1", "\(unet.skipShapes.count)"])
            #expect(missing.status != 0 && missing.error.contains(
                "--read-skips \(unet.skipShapes.count): the UNet in \(given.path) has skips 0 to \(unet.skipShapes.count - 1)"),
                "\(missing.error)")
        }
    }

    /// A new head takes convolutions at its skips' sides; a head to continue keeps its own.
    @Test func trainPoseHeadTakesSkipReaderLayers() throws {
        try withTinyModel { given, runs in
            func train(_ extra: [String], into folder: String) throws -> (status: Int32, output: Data, error: String) {
                try trainPoseHead(extra, model: given, runs: runs.appendingPathComponent(folder))
            }
            let deep = try train(["--skip-reader-layers", "1"], into: "deep")
            try #require(deep.status == 0, "\(deep.error)")
            let head = try PoseReadoutHead.load(from: given.appendingPathComponent("pose_head"))
            #expect(head.config.readerLayers == 1 && !head.config.skipReads.isEmpty)
            let other = try train(["--init-from", given.path, "--skip-reader-layers", "2"], into: "other")
            #expect(other.status != 0 && other.error.contains("has skip_reader_layers 1, not 2"), "\(other.error)")
            let tooDeep = try train(["--skip-reader-layers", "5"], into: "too-deep")
            #expect(tooDeep.status != 0 && tooDeep.error.contains("--skip-reader-layers must be 0 to 4, not 5"), "\(tooDeep.error)")
            #expect(try train(["--init-from", given.path], into: "continued").status == 0)
            #expect(try PoseReadoutHead.load(from: given.appendingPathComponent("pose_head")).config.readerLayers == 1)
        }
    }

    /// A new head's widths come from the command line; a head continued keeps its own.
    @Test func trainPoseHeadTakesItsWidths() throws {
        try withTinyModel { given, runs in
            func train(_ extra: [String], into folder: String) throws -> (status: Int32, output: Data, error: String) {
                try trainPoseHead(extra, model: given, runs: runs.appendingPathComponent(folder))
            }
            let wide = try train(["--bottleneck-channels", "32", "--hidden-dim", "40"], into: "wide")
            try #require(wide.status == 0, "\(wide.error)")
            let head = try PoseReadoutHead.load(from: given.appendingPathComponent("pose_head"))
            #expect(head.config.bottleneckChannels == 32 && head.config.hiddenDim == 40)
            let narrower = try train(["--init-from", given.path, "--bottleneck-channels", "16"], into: "narrower")
            #expect(narrower.status != 0 && narrower.error.contains("has bottleneck_channels 32, not 16"), "\(narrower.error)")
            let other = try train(["--init-from", given.path, "--hidden-dim", "64"], into: "other")
            #expect(other.status != 0 && other.error.contains("has hidden_dim 40, not 64"), "\(other.error)")
            let zero = try train(["--hidden-dim", "0"], into: "zero")
            #expect(zero.status != 0 && zero.error.contains("--hidden-dim must be 1 to 8192, not 0"), "\(zero.error)")
            let odd = try train(["--bottleneck-channels", "12"], into: "odd")
            #expect(odd.status != 0 && odd.error.contains("--bottleneck-channels must be a multiple of the head's 8 norm groups, not 12"), "\(odd.error)")
            #expect(try train(["--init-from", given.path], into: "continued").status == 0)
            #expect(try PoseReadoutHead.load(from: given.appendingPathComponent("pose_head")).config.hiddenDim == 40)
        }
    }

    /// A head trained below a timestep says so in its report, and its checkpoint is not resumed by
    /// a run with another limit; training timesteps stay below the limit.
    @Test func trainPoseHeadTakesAMaximumTimestep() throws {
        var generator = SeededGenerator(seed: 3)
        let drawn = DiffusionTrainer.drawTimesteps(400, below: 150, generator: &generator)
        #expect(drawn.allSatisfy { $0 >= 0 && $0 < 150 } && drawn.contains { $0 >= 140 } && drawn.contains { $0 < 10 })
        try withTinyModel { given, runs in
            let zero = try trainPoseHead(["--max-timestep", "0"], model: given, runs: runs)
            #expect(zero.status != 0 && zero.error.contains("--max-timestep must be 1 to 1000, not 0"), "\(zero.error)")
            let mainHead = given.appendingPathComponent("pose_head/model.safetensors")
            let before = try Data(contentsOf: mainHead)
            let limited = try trainPoseHead(["--max-timestep", "300"], model: given, runs: runs)
            try #require(limited.status == 0, "\(limited.error)")
            let report = try String(contentsOf: runs.appendingPathComponent("pose_head_lookahead/report.md"), encoding: .utf8)
            #expect(report.contains("Trained on timesteps below 300 only") && report.contains("MAE at t = 150"), "\(report)")
            #expect(report.contains("MAE at t = 500 (held-out renders; a timestep it did not train on)")
                    && !report.contains("t = 150 (held-out renders; a timestep"), "\(report)")
            #expect(report.contains("MAE reading ahead to t = 150 from t = 900 (held-out renders)"), "\(report)")
            #expect(try Data(contentsOf: mainHead) == before, "a head for readings ahead goes beside the main head")
            #expect(try StudioModels.load(folder: given).lookaheadHead?.config.maxTimestep == 300)
            let low = try trainPoseHead(["--max-timestep", "100"], model: given, runs: runs.appendingPathComponent("low"))
            try #require(low.status == 0, "\(low.error)")
            let lowReport = try String(contentsOf: runs.appendingPathComponent("low/pose_head_lookahead/report.md"), encoding: .utf8)
            #expect(lowReport.contains("MAE reading ahead to t = 150 from t = 500 (held-out renders; a timestep it did not train on)"),
                    "\(lowReport)")
            let other = try trainPoseHead(["--max-timestep", "200"], model: given, runs: runs, steps: 2)
            #expect(other.status != 0 && other.error.contains("made with max_timestep 300, this run has 200"), "\(other.error)")
            // --init-from continues the folder's head for reading ahead, not its main head: the
            // main head has no reader convolutions, so asking for one would be refused for it.
            let deep = try trainPoseHead(["--max-timestep", "300", "--skip-reader-layers", "1"], model: given,
                                         runs: runs.appendingPathComponent("deep"))
            try #require(deep.status == 0, "\(deep.error)")
            let continued = try trainPoseHead(["--max-timestep", "300", "--skip-reader-layers", "1", "--init-from", given.path],
                                              model: given, runs: runs.appendingPathComponent("continued"))
            #expect(continued.status == 0, "\(continued.error)")
        }
    }

    /// A share of each batch read ahead: checked, named in the report, part of the checkpoint's
    /// provenance; every report measures readings ahead.
    @Test func trainPoseHeadTakesAShareOfReadingsAhead() throws {
        try withTinyModel { given, runs in
            let over = try trainPoseHead(["--readings-ahead-share", "1.5"], model: given, runs: runs)
            #expect(over.status != 0 && over.error.contains("--readings-ahead-share must be 0 to 1, not 1.5"), "\(over.error)")
            let half = try trainPoseHead(["--readings-ahead-share", "0.5"], model: given, runs: runs)
            try #require(half.status == 0, "\(half.error)")
            let report = try String(contentsOf: runs.appendingPathComponent("pose_head/report.md"), encoding: .utf8)
            #expect(report.contains("A share of 0.5 of each batch was read ahead"), "\(report)")
            #expect(report.contains("MAE reading ahead to t = 150 from t = 500") && report.contains("from t = 900"), "\(report)")
            let without = try trainPoseHead([], model: given, runs: runs, steps: 2)
            #expect(without.status != 0 && without.error.contains("made with readings_ahead_share 0.5, this run has 0.0"), "\(without.error)")
        }
    }

    /// Decoy pushes: checked, refused with a batch of one, named in the report, logged as their
    /// own loss column and part of the checkpoint's provenance.
    @Test func trainPoseHeadTakesDecoyPushes() throws {
        try withTinyModel { given, runs in
            let over = try trainPoseHead(["--decoy-push", "2"], model: given, runs: runs)
            #expect(over.status != 0 && over.error.contains("--decoy-push must be 0 to 1, not 2.0"), "\(over.error)")
            let alone = try trainPoseHead(["--decoy-push", "0.1", "--batch", "1"], model: given, runs: runs)
            #expect(alone.status != 0 && alone.error.contains("it needs --batch 2 or more, not 1"), "\(alone.error)")
            let pushed = try trainPoseHead(["--decoy-push", "0.1"], model: given, runs: runs)
            try #require(pushed.status == 0, "\(pushed.error)")
            let folder = runs.appendingPathComponent("pose_head")
            let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
            #expect(report.contains("a push of RMS 0.1 per latent element toward another row's pose"), "\(report)")
            let log = try String(contentsOf: folder.appendingPathComponent("loss.csv"), encoding: .utf8)
            #expect(log.split(separator: "\n").first?.contains("pushed_loss") == true, "\(log)")
            let without = try trainPoseHead([], model: given, runs: runs, steps: 2)
            #expect(without.status != 0 && without.error.contains("made with decoy_push 0.1, this run has 0.0"), "\(without.error)")
        }
    }

    /// Loss weights take one number per quantity; the report names the ones a run trained with.
    @Test func trainPoseHeadTakesQuantityWeights() throws {
        try withTinyModel { given, runs in
            let short = try trainPoseHead(["--quantity-weights", "1", "2"], model: given, runs: runs)
            #expect(short.status != 0 && short.error.contains("--quantity-weights takes 5 weights"), "\(short.error)")
            let zero = try trainPoseHead(["--quantity-weights", "0", "0", "0", "0", "0"], model: given, runs: runs)
            #expect(zero.status != 0 && zero.error.contains("not all 0"), "\(zero.error)")
            try #require(try trainPoseHead(["--quantity-weights", "1", "3", "1", "1", "0.5"], model: given, runs: runs).status == 0)
            let report = try String(contentsOf: runs.appendingPathComponent("pose_head/report.md"), encoding: .utf8)
            #expect(report.contains("Loss weights of pitch, yaw, x, y, scale: 1.0, 3.0, 1.0, 1.0, 0.5"), "\(report)")
        }
    }

    /// A head made for another UNet is refused by name before any training, not trapped on mid-way.
    @Test func trainPoseHeadRefusesAHeadForAnotherUNet() throws {
        try withTinyModel { given, scratch in
            let (other, runs) = (scratch.appendingPathComponent("other"), scratch.appendingPathComponent("runs"))
            let misfit = try PoseReadoutHead(config: PoseReadoutHeadConfig(inChannels: 16, featureSize: 2, bottleneckChannels: 8,
                                                                           hiddenDim: 8, timestepDim: 8, normNumGroups: 4))
            try misfit.save(to: other.appendingPathComponent("pose_head"))
            let result = try trainPoseHead(["--init-from", other.path], model: given, runs: runs)
            #expect(result.status != 0)
            #expect(result.error.contains("does not fit") && result.error.contains("in_channels 16")
                    && result.error.contains("feature_size 2"), "\(result.error)")
        }
    }
}

private extension ParameterVisitable {
    /// Every parameter's values, in visiting order.
    func parameterVector() -> [Float] {
        var values: [Float] = []
        visitParameters { _, parameter in values += parameter.value.scalars }
        return values
    }
}
