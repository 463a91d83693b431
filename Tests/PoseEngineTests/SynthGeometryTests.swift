import Testing
@testable import PoseEngine

/// Where parts of the head land in the picture, measured on the renderer's per-pixel part map.
@Suite struct SynthGeometryTests {
    static let size = 128

    /// A bald person without glasses or beard, so the crown and both eyes are unobstructed.
    static let person: HeadIdentity = {
        var generator = SeededGenerator(seed: 11)
        var identity = HeadIdentity.random(using: &generator)
        identity.hairStyle = .bald
        identity.glasses = false
        identity.beard = false
        return identity
    }()

    static func parts(_ pose: HeadPose, identity: HeadIdentity = person) -> PartMap {
        var renderer = HeadRenderer(size: size)
        return PartMap(parts: renderer.parts(SynthScene(identity: identity, pose: pose)), size: size)
    }

    @Test func positiveYawMovesTheNoseTowardImageRight() throws {
        for yaw: Float in [20, 45, 70] {
            let right = Self.parts(HeadPose(yaw: yaw, scale: 0.6))
            let left = Self.parts(HeadPose(yaw: -yaw, scale: 0.6))
            let headRight = try #require(right.centroid(where: \.isHeadSkin))
            let noseRight = try #require(right.centroid { $0 == .nose })
            let headLeft = try #require(left.centroid(where: \.isHeadSkin))
            let noseLeft = try #require(left.centroid { $0 == .nose })
            #expect(noseRight.x > headRight.x + 3, "yaw \(yaw)")
            #expect(noseLeft.x < headLeft.x - 3, "yaw \(-yaw)")
        }
    }

    @Test func positivePitchMovesTheNoseUp() throws {
        let up = Self.parts(HeadPose(pitch: 30, scale: 0.6))
        let down = Self.parts(HeadPose(pitch: -30, scale: 0.6))
        let noseUp = try #require(up.centroid { $0 == .nose })
        let noseDown = try #require(down.centroid { $0 == .nose })
        #expect(noseUp.y < noseDown.y - 5)
    }

    @Test func positiveRollTiltsTheHeadClockwise() throws {
        let tilted = Self.parts(HeadPose(roll: 20, scale: 0.7))
        // Clockwise: the head's left eye (image right) drops below its right eye.
        let left = try #require(tilted.centroid { $0 == .leftEye })
        let right = try #require(tilted.centroid { $0 == .rightEye })
        #expect(left.x > right.x)
        #expect(left.y > right.y + 2)
    }

    @Test func positionMovesTheHeadCentroidByTheLabelledFraction() throws {
        let base = try #require(Self.parts(HeadPose(scale: 0.4)).centroid(where: \.isHeadSkin))
        let moved = try #require(Self.parts(HeadPose(x: 0.2, y: -0.15, scale: 0.4)).centroid(where: \.isHeadSkin))
        let size = Float(Self.size)
        #expect(abs((moved.x - base.x) - 0.2 * size) < 1)
        #expect(abs((moved.y - base.y) + 0.15 * size) < 1)
    }

    /// The labelled scale is chin-to-crown height over image height, and (x, y) is the midpoint.
    @Test(arguments: [Float(0.3), 0.6, 0.9])
    func headHeightAndCentreMatchTheLabels(scale: Float) throws {
        let y: Float = scale > 0.8 ? 0 : 0.1
        let map = Self.parts(HeadPose(x: -0.1, y: y, scale: scale))
        let rows = try #require(map.rowExtent(where: \.isHeadSkin))
        let size = Float(Self.size)
        let height = Float(rows.upperBound - rows.lowerBound + 1)
        #expect(abs(height - scale * size) <= 2, "measured \(height) px for scale \(scale)")
        let middle = Float(rows.lowerBound + rows.upperBound + 1) / 2
        #expect(abs(middle - (0.5 + y) * size) <= 1.5)
    }

    @Test func scaleChangesTheHeightProportionally() throws {
        let small = try #require(Self.parts(HeadPose(scale: 0.3)).rowExtent(where: \.isHeadSkin))
        let large = try #require(Self.parts(HeadPose(scale: 0.75)).rowExtent(where: \.isHeadSkin))
        let ratio = Float(large.count) / Float(small.count)
        #expect(abs(ratio - 2.5) < 0.15)
    }

    @Test func profilesHideTheFarEye() {
        // Turned to its own left (+yaw), the head shows its right side: its left eye is far.
        let facingRight = Self.parts(HeadPose(yaw: 90, scale: 0.6))
        #expect(facingRight.count(of: .rightEye) > 0)
        #expect(facingRight.count(of: .leftEye) == 0)
        let facingLeft = Self.parts(HeadPose(yaw: -90, scale: 0.6))
        #expect(facingLeft.count(of: .leftEye) > 0)
        #expect(facingLeft.count(of: .rightEye) == 0)
        let frontal = Self.parts(HeadPose(scale: 0.6))
        #expect(frontal.count(of: .leftEye) > 0 && frontal.count(of: .rightEye) > 0)
    }

    @Test func identityChangesAppearanceButNotPose() throws {
        var generator = SeededGenerator(seed: 99)
        var other = HeadIdentity.random(using: &generator)
        other.hairStyle = .bald
        other.glasses = false
        other.beard = false
        other.skinTone = Self.person.skinTone < 0.5 ? 0.9 : 0.1
        let pose = HeadPose(yaw: 25, x: 0.05, y: -0.05, scale: 0.55)
        var renderer = HeadRenderer(size: Self.size)
        let first = renderer.render(SynthScene(identity: Self.person, pose: pose))
        let second = renderer.render(SynthScene(identity: other, pose: pose))
        let difference = zip(first.pixels, second.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        #expect(Float(difference) / Float(first.pixels.count) > 10)

        let rowsFirst = try #require(Self.parts(pose).rowExtent(where: \.isHeadSkin))
        let rowsSecond = try #require(Self.parts(pose, identity: other).rowExtent(where: \.isHeadSkin))
        #expect(abs(rowsFirst.lowerBound - rowsSecond.lowerBound) <= 1)
        #expect(abs(rowsFirst.upperBound - rowsSecond.upperBound) <= 1)
    }

    @Test func hairHidesTheCrownButNotTheFace() throws {
        var identity = Self.person
        identity.hairStyle = .short
        let map = Self.parts(HeadPose(scale: 0.6), identity: identity)
        let hair = try #require(map.rowExtent { $0 == .hair })
        let nose = try #require(map.rowExtent { $0 == .nose })
        #expect(hair.lowerBound < nose.lowerBound)
        #expect(map.count(of: .leftEye) > 0)
    }
}

/// A per-pixel part map with the measurements the tests need.
struct PartMap {
    let parts: [HeadPart]
    let size: Int

    func count(of part: HeadPart) -> Int {
        parts.filter { $0 == part }.count
    }

    /// Mean pixel position (column, row, at pixel centres) of the pixels that match.
    func centroid(where matches: (HeadPart) -> Bool) -> (x: Float, y: Float)? {
        var sumX: Float = 0, sumY: Float = 0, n: Float = 0
        for (i, part) in parts.enumerated() where matches(part) {
            sumX += Float(i % size) + 0.5
            sumY += Float(i / size) + 0.5
            n += 1
        }
        return n > 0 ? (sumX / n, sumY / n) : nil
    }

    /// First and last row holding a matching pixel.
    func rowExtent(where matches: (HeadPart) -> Bool) -> ClosedRange<Int>? {
        let rows = parts.indices.filter { matches(parts[$0]) }.map { $0 / size }
        guard let first = rows.min(), let last = rows.max() else { return nil }
        return first...last
    }
}
