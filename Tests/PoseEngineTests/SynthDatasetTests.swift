import Foundation
import Testing
@testable import PoseEngine

@Suite struct SynthDatasetTests {
    let dataset = SynthDataset(seed: 42, imageSize: 48, identityCount: 5)

    @Test func sameSeedGivesTheSameBytesOnAnyThreadCount() {
        let single = dataset.samples(0..<8, threads: 1)
        let double = dataset.samples(0..<8, threads: 2)
        #expect(single == double)
        let again = SynthDataset(seed: 42, imageSize: 48, identityCount: 5).samples(3..<5, threads: 2)
        #expect(again.map(\.image) == Array(single[3..<5]).map(\.image))
        let otherSeed = SynthDataset(seed: 43, imageSize: 48, identityCount: 5).samples(0..<8, threads: 2)
        #expect(otherSeed.map(\.image) != single.map(\.image))
    }

    @Test func iteratorYieldsTheIndexedSamplesInOrder() {
        var iterator = dataset.makeIterator(startingAt: 2, chunk: 3)
        let batch = iterator.nextBatch(5)
        #expect(batch.map(\.spec.index) == [2, 3, 4, 5, 6])
        #expect(batch == dataset.samples(2..<7))
    }

    @Test func posesStayInTheirRanges() {
        for index in 0..<500 {
            let pose = dataset.spec(index).scene.pose
            #expect(HeadPose.pitchRange.contains(pose.pitch))
            #expect(HeadPose.yawRange.contains(pose.yaw))
            #expect(HeadPose.rollRange.contains(pose.roll))
            #expect(HeadPose.scaleRange.contains(pose.scale))
            #expect(abs(pose.x) <= 0.5 - 0.35 * pose.scale + 1e-4 && abs(pose.y) <= 0.5 - 0.35 * pose.scale + 1e-4)
        }
    }

    @Test func samplesOfOneIdentityShowTheSamePerson() {
        let specs = (0..<60).map(dataset.spec)
        #expect(Set(specs.map(\.identityIndex)) == Set(0..<5))
        for spec in specs {
            #expect(spec.scene.identity == dataset.identity(spec.identityIndex))
        }
    }

    @Test func promptsUseOnlyTheVocabularyAndSayWhatIsShown() {
        let vocabulary = Set(PromptVocabulary.words)
        #expect(vocabulary.count == PromptVocabulary.words.count)
        for index in 0..<300 {
            let spec = SynthDataset(seed: 7, imageSize: 32, identityCount: 300).spec(index)
            let words = spec.prompt.split(separator: " ").map(String.init)
            #expect(words.allSatisfy(vocabulary.contains), "\(spec.prompt)")
            #expect(words[1] == spec.scene.style.rawValue)
            #expect(words.contains("glasses") == spec.scene.identity.glasses)
            #expect(words.contains("beard") == spec.scene.identity.beard)
            #expect(words.contains("smiling") == spec.scene.expression.isSmiling)
            #expect(words.contains("bald") == (spec.scene.identity.hairStyle == .bald))
        }
    }

    @Test func labelsAreFlatJSONWithThePoseKeys() throws {
        let spec = dataset.spec(3)
        let label = SynthLabel(file: "000003.png", sample: spec)
        let line = DatasetWriter.jsonLine(label)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        for key in ["file", "pitch", "yaw", "roll", "x", "y", "scale", "identity", "style", "prompt"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect((object["yaw"] as? Double).map { Float($0) } == spec.scene.pose.yaw)
        #expect(try JSONDecoder().decode(SynthLabel.self, from: Data(line.utf8)) == label)
    }

    @Test func writerWritesOneImageAndOneLabelLinePerSample() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synth-writer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var writer = DatasetWriter(dataset: dataset, folder: folder)
        writer.chunk = 4
        let written = WrittenImages()
        var progress: [Int] = []
        let report = try writer.write(count: 10, writeImage: { image, path in written.store(image, at: path) },
                                      progress: { progress.append($0) })
        #expect(report.count == 10)
        #expect(progress == [4, 8, 10])
        let text = try String(contentsOf: folder.appendingPathComponent(DatasetWriter.labelsFileName), encoding: .utf8)
        let labels = try text.split(separator: "\n").map { try JSONDecoder().decode(SynthLabel.self, from: Data($0.utf8)) }
        #expect(labels.map(\.file) == (0..<10).map { DatasetWriter.imageFileName(index: $0, count: 10) })
        #expect(labels[7] == SynthLabel(file: "000007.png", sample: dataset.spec(7)))
        #expect(written.count == 10)
        #expect(written.image(at: folder.appendingPathComponent("000007.png").path) == dataset.samples(7..<8)[0].image)
    }

    @Test func aFailingImageWriteNamesTheFirstFailingFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synth-writer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        struct DiskFull: Error {}
        let writer = DatasetWriter(dataset: dataset, folder: folder)
        let failingPath = folder.appendingPathComponent("000003.png").path
        #expect(throws: DatasetWriterError.imageWriteFailed(path: failingPath, reason: "DiskFull()")) {
            _ = try writer.write(count: 8, writeImage: { _, path in
                if path >= failingPath { throw DiskFull() }
            })
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(DatasetWriter.labelsFileName).path))
    }

    @Test func batchesBecomeTensors() {
        let samples = dataset.samples(0..<3)
        let batch = SynthBatch(samples)
        #expect(batch.images.shape == [3, 3, 48, 48])
        #expect(batch.poses.shape == [3, 6])
        #expect(batch.poses.scalars[1] == samples[0].pose.yaw)
        #expect(batch.images.scalars.allSatisfy { (-1...1).contains($0) })
        #expect(batch.prompts == samples.map(\.prompt))
    }

    @Test func stylesLookDifferent() {
        let base = dataset.spec(0).scene
        var renderer = HeadRenderer(size: 48)
        let images = RenderStyle.allCases.map { style -> SynthImage in
            var scene = base
            scene.style = style
            return renderer.render(scene)
        }
        for i in images.indices {
            for j in images.indices where j > i {
                let difference = zip(images[i].pixels, images[j].pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
                #expect(Float(difference) / Float(images[i].pixels.count) > 8, "\(RenderStyle.allCases[i]) vs \(RenderStyle.allCases[j])")
            }
        }
    }
}

/// Images handed to a dataset writer's image callback, which runs on several threads.
private final class WrittenImages: @unchecked Sendable {
    private let lock = NSLock()
    private var images: [String: SynthImage] = [:]

    func store(_ image: SynthImage, at path: String) {
        lock.withLock { images[path] = image }
    }

    func image(at path: String) -> SynthImage? {
        lock.withLock { images[path] }
    }

    var count: Int { lock.withLock { images.count } }
}
