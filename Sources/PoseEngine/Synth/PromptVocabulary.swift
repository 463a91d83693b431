/// The fixed words every synthetic prompt is made of, so a small text encoder can learn them all.
public enum PromptVocabulary {
    public static let styleWords: [String] = RenderStyle.allCases.map(\.rawValue)

    public static let attributeWords: [String] = [
        "smiling", "bald", "glasses", "beard", "short", "long", "curly", "bun",
        "black", "brown", "blond", "red", "grey", "blue", "green", "eyes", "hair",
    ]

    public static let connectiveWords: [String] = ["a", "of", "person", "with", "and"]

    /// Every word a prompt can contain, in a fixed order (token ids can be indices in this list).
    public static let words: [String] = styleWords + connectiveWords + attributeWords

    /// A prompt such as "a painting of a smiling person with glasses and long blond hair and
    /// blue eyes": style, expression, then the person's visible attributes.
    public static func prompt(identity: HeadIdentity, expression: Expression, style: RenderStyle) -> String {
        var person = ["a"]
        if expression.isSmiling { person.append("smiling") }
        if identity.hairStyle == .bald { person.append("bald") }
        person.append("person")
        var features: [String] = []
        if identity.glasses { features.append("glasses") }
        if identity.beard { features.append("a beard") }
        switch identity.hairStyle {
        case .bald: break
        case .bun: features.append("a \(identity.hairColor.rawValue) bun")
        case .short, .long, .curly: features.append("\(identity.hairStyle.rawValue) \(identity.hairColor.rawValue) hair")
        }
        features.append("\(identity.eyeColor.rawValue) eyes")
        return "a \(style.rawValue) of \(person.joined(separator: " ")) with \(features.joined(separator: " and "))"
    }
}
