import Foundation

/// Where a head is and which way it faces, in PoseStudio's units (see DESIGN.md):
/// - pitch, yaw, roll in degrees. +yaw turns the head to its own left, so the face looks toward
///   image right; +pitch tilts the face up; +roll tilts the head clockwise as seen in the image
///   (the crown moves toward image right).
/// - x, y: the head centre as a fraction of image width/height from the image centre
///   (+x right, +y down). The head centre is the midpoint between chin and crown of the head in
///   its own frame; it is also the point the head rotates about, so it stays at (x, y) in every pose.
/// - scale: head height (chin to crown, skin only, hair excluded) over image height.
///
/// Rotations compose as roll * yaw * pitch: the head nods in its own frame, then turns, then tilts.
public struct HeadPose: Sendable, Equatable, Codable {
    public var pitch: Float
    public var yaw: Float
    public var roll: Float
    public var x: Float
    public var y: Float
    public var scale: Float

    public static let pitchRange: ClosedRange<Float> = -45...45
    public static let yawRange: ClosedRange<Float> = -90...90
    public static let rollRange: ClosedRange<Float> = -20...20
    public static let positionRange: ClosedRange<Float> = -0.5...0.5
    public static let scaleRange: ClosedRange<Float> = 0.25...0.9

    public init(pitch: Float = 0, yaw: Float = 0, roll: Float = 0, x: Float = 0, y: Float = 0, scale: Float = 0.5) {
        self.pitch = pitch
        self.yaw = yaw
        self.roll = roll
        self.x = x
        self.y = y
        self.scale = scale
    }

    /// A pose drawn uniformly over the angle and scale ranges. The centre is drawn so that at
    /// least most of the head stays in the frame: |x|, |y| <= 0.5 - 0.35 * scale.
    public static func random(using generator: inout SeededGenerator) -> HeadPose {
        let scale = uniform(scaleRange, &generator)
        let reach = max(0, 0.5 - 0.35 * scale)
        return HeadPose(pitch: uniform(pitchRange, &generator),
                        yaw: uniform(yawRange, &generator),
                        roll: uniform(rollRange, &generator),
                        x: uniform(-reach...reach, &generator),
                        y: uniform(-reach...reach, &generator),
                        scale: scale)
    }

    /// The same pose with every value rounded to 4 decimals, so labels written as text are exact.
    public var quantized: HeadPose {
        func q(_ v: Float) -> Float { (v * 10_000).rounded() / 10_000 }
        return HeadPose(pitch: q(pitch), yaw: q(yaw), roll: q(roll), x: q(x), y: q(y), scale: q(scale))
    }

    /// Head space -> camera space rotation (camera: +x image right, +y image up, +z toward the viewer).
    var rotation: Matrix3 {
        let radians = Float.pi / 180
        return Matrix3.rotationZ(-roll * radians) * Matrix3.rotationY(yaw * radians) * Matrix3.rotationX(-pitch * radians)
    }

    /// The shoulders follow the head only part of the way, as a person turning their head does.
    var bodyRotation: Matrix3 {
        let radians = Float.pi / 180
        return Matrix3.rotationZ(-0.35 * roll * radians) * Matrix3.rotationY(0.3 * yaw * radians)
    }

    /// The head centre in camera units (image height 1, +y up) for an image of this aspect ratio.
    func cameraCenter(aspect: Float) -> Vector3 {
        Vector3(x * aspect, -y, 0)
    }
}

func uniform(_ range: ClosedRange<Float>, _ generator: inout SeededGenerator) -> Float {
    range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUniform()
}
