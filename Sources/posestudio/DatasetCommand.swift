import ArgumentParser
import Foundation
import ImageFiles
import PoseEngine

/// `posestudio dataset`: renders labelled synthetic heads to PNG files and labels.jsonl.
struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Render a labelled dataset of synthetic heads (PNG images + labels.jsonl).",
        discussion: """
        Each image gets one line in labels.jsonl: file, pitch, yaw, roll (degrees), x, y (fraction \
        of the image from its centre, +x right, +y down), scale (head height / image height), \
        identity, style and prompt. The same seed always writes the same bytes. The last line \
        printed reports the rendering speed.
        """)

    @Option(help: "Number of images.")
    var count: Int

    @Option(help: "Width and height of each image in pixels (16 to 1024).")
    var size: Int = 64

    @Option(help: "Seed for everything drawn: identities, poses, scenes, styles.")
    var seed: UInt64 = 0

    @Option(help: "Number of different people (default: a quarter of --count).")
    var identities: Int?

    @Option(help: "Folder to write into (created if missing).")
    var out: String

    @Option(help: "Threads for rendering and writing (default: every core). The output does not depend on it.")
    var threads: Int?

    @Option(name: .customLong("contact-sheet"), help: "Also write the first 64 images as one grid PNG here.")
    var contactSheet: String?

    @Option(name: .customLong("pose-sheet"),
            help: "Also write a grid PNG of the first person: yaw -90 to 90 across, pitch -45, 0, 45 by style down.")
    var poseSheet: String?

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard (16...1024).contains(size) else { throw ValidationError("--size must be between 16 and 1024 pixels") }
        if let identities, identities < 1 { throw ValidationError("--identities must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let dataset = SynthDataset(seed: seed, imageSize: size, identityCount: identities ?? max(1, count / 4))
        var writer = DatasetWriter(dataset: dataset, folder: URL(fileURLWithPath: out))
        if let threads { writer.threads = threads }
        let bar = ProgressBar(total: count)
        let report = try writer.write(count: count, writeImage: { image, path in
            try RGBImage(width: image.width, height: image.height, pixels: image.pixels).writePNG(to: path, flush: false)
        }, progress: { bar.update($0) })
        bar.finish()
        print("wrote \(count) images of \(size)x\(size) and \(DatasetWriter.labelsFileName) to \(out)")
        if let contactSheet {
            try writeContactSheet(dataset: dataset, to: contactSheet)
            print("wrote contact sheet \(contactSheet)")
        }
        if let poseSheet {
            try writePoseSheet(dataset: dataset, to: poseSheet)
            print("wrote pose sheet \(poseSheet)")
        }
        print(String(format: "rendering: %.0f renders/s on %d threads (%.2f s); writing: %.2f s",
                     report.rendersPerSecond, writer.threads, report.renderSeconds, report.writeSeconds))
    }

    private func writeContactSheet(dataset: SynthDataset, to path: String) throws {
        let samples = dataset.samples(0..<min(count, 64))
        let images = try samples.map { try RGBImage(width: $0.image.width, height: $0.image.height, pixels: $0.image.pixels) }
        try RGBImage.grid(images, columns: 8, gap: 2).writePNG(to: path)
    }

    private func writePoseSheet(dataset: SynthDataset, to path: String) throws {
        let yaws: [Float] = [-90, -60, -30, 0, 30, 60, 90]
        var base = dataset.spec(0).scene
        base.expression = Expression(smile: 0.8, eyeOpenness: 0.9)
        var renderer = HeadRenderer(size: size)
        var images: [RGBImage] = []
        for style in RenderStyle.allCases {
            for pitch: Float in [-45, 0, 45] {
                for yaw in yaws {
                    var scene = base
                    scene.style = style
                    scene.pose = HeadPose(pitch: pitch, yaw: yaw, roll: 0, x: 0, y: 0, scale: 0.6)
                    let image = renderer.render(scene)
                    images.append(try RGBImage(width: image.width, height: image.height, pixels: image.pixels))
                }
            }
        }
        try RGBImage.grid(images, columns: yaws.count, gap: 2).writePNG(to: path)
    }
}

/// A one-line progress bar on standard error, redrawn in place.
private struct ProgressBar {
    let total: Int
    let width = 30
    private let started = ContinuousClock.now

    init(total: Int) {
        self.total = max(1, total)
    }

    func update(_ done: Int) {
        let filled = width * min(done, total) / total
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(format: "\r[%@] %d/%d %3d%% %.0f images/s", bar, done, total, 100 * done / total, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
