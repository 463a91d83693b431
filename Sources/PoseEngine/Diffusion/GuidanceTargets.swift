/// One of the five pose quantities a user can steer.
public enum PoseQuantity: String, Codable, CaseIterable, Sendable {
    case pitch, yaw, x, y, scale

    var index: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// The unit shown after a value: degrees for the angles, none for position and scale.
    public var unit: String { self == .pitch || self == .yaw ? "°" : "" }
}

extension PoseValues {
    public func value(_ quantity: PoseQuantity) -> Float { array[quantity.index] }
}

/// Pose targets in DESIGN units, each switched on or off on its own: a
/// switched-off target keeps its value (the slider stays where it was) but
/// does not steer.
public struct GuidanceTargets: Codable, Sendable, Equatable {
    public var values: PoseValues
    /// The steered quantities, always in PoseQuantity order (so files compare byte for byte).
    public private(set) var active: [PoseQuantity]

    public init(values: PoseValues = PoseValues(pitch: 0, yaw: 0, x: 0, y: 0, scale: 0.5), active: [PoseQuantity] = []) {
        self.values = values
        self.active = PoseQuantity.allCases.filter(active.contains)
    }

    public func isActive(_ quantity: PoseQuantity) -> Bool { active.contains(quantity) }

    public mutating func set(_ quantity: PoseQuantity, active on: Bool) {
        active = PoseQuantity.allCases.filter { $0 == quantity ? on : active.contains($0) }
    }

    /// Sets the value and switches the quantity on.
    public mutating func steer(_ quantity: PoseQuantity, to value: Float) {
        var v = values.array
        v[quantity.index] = value
        values = PoseValues(array: v)
        set(quantity, active: true)
    }

    public func value(_ quantity: PoseQuantity) -> Float { values.value(quantity) }
}

extension GuidanceTargets {
    /// Each steered target moved by `step` toward the centre of its range over the synthetic
    /// world, so that it stays in range: a slider's nudge, for measuring warm updates.
    public func nudged(by step: PoseValues) -> GuidanceTargets {
        var moved = self
        let side = values.normalized
        for q in active {
            moved.steer(q, to: value(q) + (side[q.index] <= 0 ? 1 : -1) * step.value(q))
        }
        return moved
    }

    /// The largest move of each quantity after which the studio still resumes its last
    /// trajectory (`StudioSettings.resumableTargetMove` of its half range), in DESIGN units.
    public static var largestResumableMove: PoseValues {
        let moved = PoseValues(normalized: [Float](repeating: StudioSettings.resumableTargetMove, count: PoseValues.count))
        let centre = PoseValues(normalized: [Float](repeating: 0, count: PoseValues.count))
        return PoseValues(array: zip(moved.array, centre.array).map { $0 - $1 })
    }
}
