/// What a pixel shows. Left and right are the head's own sides: its left eye is on image right
/// when it faces the viewer.
public enum HeadPart: UInt8, Sendable, CaseIterable {
    case background
    case cranium
    case jaw
    case nose
    case leftEye
    case rightEye
    case eyelid
    case leftEar
    case rightEar
    case neck
    case torso
    case hair
    case beard
    case glasses

    /// Skin of the head proper: what the head's height and centre are measured on.
    public var isHeadSkin: Bool {
        switch self {
        case .cranium, .jaw, .nose, .eyelid, .leftEar, .rightEar: return true
        default: return false
        }
    }

    /// Parts an artist separates with a line: a change of group is an outline.
    var outlineGroup: UInt8 {
        switch self {
        case .background: return 0
        case .cranium, .jaw, .nose, .eyelid, .leftEar, .rightEar, .neck: return 1
        case .leftEye, .rightEye: return 2
        case .hair, .beard: return 3
        case .torso: return 4
        case .glasses: return 5
        }
    }
}
