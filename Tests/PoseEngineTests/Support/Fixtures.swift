import Foundation
import Testing
@testable import PoseEngine

/// The reference fixtures made by tools/reference/make_fixtures.py (see FIXTURES.md there).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func archive(_ name: String) throws -> SafeTensorsArchive {
        try SafeTensors.read(url(name).path)
    }
}

extension SafeTensorsArchive {
    subscript(_ name: String) -> Tensor {
        get throws { try tensor(named: name) }
    }
}

/// Expects `actual` to match `expected` within `tolerance` of the reference's largest magnitude.
/// The floor keeps gradients that are zero in exact arithmetic (a key bias under softmax) from
/// being judged on rounding noise alone.
func expectClose(_ actual: Tensor, _ expected: Tensor, tolerance: Float, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, "\(what): shape \(actual.shape) vs \(expected.shape)", sourceLocation: sourceLocation)
    guard actual.count == expected.count else { return }
    let scale = max(expected.maxAbs(), 1e-2)
    let error = actual.maxAbsDifference(expected) / scale
    #expect(error <= tolerance, "\(what): relative error \(error) > \(tolerance)", sourceLocation: sourceLocation)
}
