import ArgumentParser
import Foundation
import PoseEngine

/// `posestudio estimate IMAGE`: the judge's reading of a head's pose.
struct EstimateCommand: ParsableCommand, ModelChoice {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Print the judge's pitch, yaw, x, y and scale of the head in an image.",
        discussion: """
            Units as everywhere in PoseStudio: pitch and yaw in degrees (+yaw: the face looks toward image right, \
            +pitch: up), x and y as fractions of the image from its centre (+x right, +y down), scale = head height / \
            image height. The image is resampled to the judge's 64x64 input.
            """)

    @Argument(help: "A PNG, JPEG, GIF or BMP image.")
    var image: String

    @Flag(help: "Print one JSON object with keys pitch, yaw, x, y, scale.")
    var json = false

    @Option(help: ArgumentHelp("Model folder holding judge/.", discussion: defaultModelHelp))
    var model: String?

    func run() throws {
        let judge = try failing("estimate") { try ModelFolder(modelPath).load(PoseJudge.self, "judge") }
        judge.setRequiresGradient(false)
        let picture = try failing("estimate") { try ImageInputFile.load(image) }
        let pose = judge.estimate(picture)
        print(json ? try Self.json(pose) : Self.text(pose))
    }

    static func json(_ pose: PoseValues) throws -> String {
        try SortedJSON.string(pose, pretty: false)
    }

    static func text(_ pose: PoseValues) -> String {
        [String(format: "pitch %8.2f deg", pose.pitch), String(format: "yaw   %8.2f deg", pose.yaw),
         String(format: "x     %8.4f", pose.x), String(format: "y     %8.4f", pose.y),
         String(format: "scale %8.4f", pose.scale)].joined(separator: "\n")
    }
}
