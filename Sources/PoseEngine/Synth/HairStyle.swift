/// The hair styles of the synthetic world.
public enum HairStyle: String, Sendable, Codable, CaseIterable {
    case bald
    case short
    case long
    case bun
    case curly

}
