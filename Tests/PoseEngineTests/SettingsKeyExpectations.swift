import Foundation
import Testing
@testable import PoseEngine

/// A settings key added after sessions were first saved: a session file without it loads with
/// `value`, each of `bad` is refused with a problem that names it (`name`), and `good` is accepted.
func expectNewSettingsKey<Value>(_ key: WritableKeyPath<StudioSettings, Value>, loadsAs value: Value, refuses bad: [Value],
                                 accepts good: Value, naming name: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws where Value: Equatable {
    let decoded = try JSONDecoder().decode(StudioSettings.self, from: Data(#"{"guidance": 30}"#.utf8))
    #expect(decoded[keyPath: key] == value, sourceLocation: sourceLocation)
    var settings = StudioSettings()
    for wrong in bad {
        settings[keyPath: key] = wrong
        #expect(settings.problems().contains { $0.contains(name) }, "\(wrong)", sourceLocation: sourceLocation)
    }
    settings[keyPath: key] = good
    #expect(settings.problems().isEmpty, sourceLocation: sourceLocation)
}
