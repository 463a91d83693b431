/// The studio's colours: a foreground and background (xterm-256 indices, -1: the terminal's
/// default) for every role text plays on screen.
public struct Theme: Sendable, Equatable {
    public enum Role: String, CaseIterable, Sendable {
        case text, dim, accent, selected
        case barFill = "bar_fill", barEmpty = "bar_empty"
        case guideOn = "guide_on", guideOff = "guide_off"
        case estimate, status, message, warning
    }

    public struct Colors: Sendable, Equatable, Decodable {
        public var foreground: Int
        public var background: Int

        enum CodingKeys: String, CodingKey {
            case foreground = "fg", background = "bg"
        }

        public init(foreground: Int, background: Int) {
            (self.foreground, self.background) = (foreground, background)
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            foreground = try container.decodePresent(Int.self, forKey: .foreground)
            background = try container.decodePresent(Int.self, forKey: .background)
        }
    }

    public var name: String
    private var roles: [Role: Colors]

    /// A theme must give every role its colours: a file that misses one fails to load instead.
    public init(name: String, roles: [Role: Colors]) {
        self.name = name
        self.roles = roles
    }

    public func colors(_ role: Role) -> Colors {
        roles[role] ?? Colors(foreground: -1, background: -1)
    }
}
