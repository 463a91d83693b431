/// Who a synthetic head is: everything about its appearance that stays the same from pose to
/// pose. Continuous values are factors around 1 (or a position in [0, 1] for skin tone).
public struct HeadIdentity: Sendable, Equatable, Codable {
    public var headWidth: Float
    public var headDepth: Float
    public var jawWidth: Float
    public var chinLength: Float
    public var skinTone: Float
    public var hairColor: HairColor
    /// Multiplies the hair colour's brightness, so two blond people are not the same blond.
    public var hairShade: Float
    public var hairStyle: HairStyle
    public var hairVolume: Float
    public var eyeColor: EyeColor
    public var eyeSpacing: Float
    public var eyeSize: Float
    public var noseLength: Float
    public var noseWidth: Float
    public var mouthWidth: Float
    public var lipFullness: Float
    public var earSize: Float
    public var browThickness: Float
    public var glasses: Bool
    public var beard: Bool

    public static let headWidthRange: ClosedRange<Float> = 0.86...1.12
    public static let headDepthRange: ClosedRange<Float> = 0.92...1.08
    public static let jawWidthRange: ClosedRange<Float> = 0.82...1.18
    public static let chinLengthRange: ClosedRange<Float> = 0.88...1.12
    public static let hairShadeRange: ClosedRange<Float> = 0.8...1.15
    public static let hairVolumeRange: ClosedRange<Float> = 0.9...1.15
    public static let eyeSpacingRange: ClosedRange<Float> = 0.88...1.12
    public static let eyeSizeRange: ClosedRange<Float> = 0.85...1.2
    public static let noseLengthRange: ClosedRange<Float> = 0.8...1.3
    public static let noseWidthRange: ClosedRange<Float> = 0.8...1.35
    public static let mouthWidthRange: ClosedRange<Float> = 0.8...1.25
    public static let lipFullnessRange: ClosedRange<Float> = 0.65...1.35
    public static let earSizeRange: ClosedRange<Float> = 0.8...1.25
    public static let browThicknessRange: ClosedRange<Float> = 0.6...1.5
    /// Share of people drawn with glasses, and with a beard.
    public static let glassesRate: Float = 0.25
    public static let beardRate: Float = 0.2

    /// A person drawn from `generator`: every continuous value uniform in its range.
    public static func random(using generator: inout SeededGenerator) -> HeadIdentity {
        func pick<T: CaseIterable>(_ type: T.Type) -> T where T.AllCases: RandomAccessCollection, T.AllCases.Index == Int {
            let cases = T.allCases
            return cases[min(Int(generator.nextUniform() * Float(cases.count)), cases.count - 1)]
        }
        return HeadIdentity(
            headWidth: uniform(headWidthRange, &generator),
            headDepth: uniform(headDepthRange, &generator),
            jawWidth: uniform(jawWidthRange, &generator),
            chinLength: uniform(chinLengthRange, &generator),
            skinTone: generator.nextUniform(),
            hairColor: pick(HairColor.self),
            hairShade: uniform(hairShadeRange, &generator),
            hairStyle: pick(HairStyle.self),
            hairVolume: uniform(hairVolumeRange, &generator),
            eyeColor: pick(EyeColor.self),
            eyeSpacing: uniform(eyeSpacingRange, &generator),
            eyeSize: uniform(eyeSizeRange, &generator),
            noseLength: uniform(noseLengthRange, &generator),
            noseWidth: uniform(noseWidthRange, &generator),
            mouthWidth: uniform(mouthWidthRange, &generator),
            lipFullness: uniform(lipFullnessRange, &generator),
            earSize: uniform(earSizeRange, &generator),
            browThickness: uniform(browThicknessRange, &generator),
            glasses: generator.nextUniform() < glassesRate,
            beard: generator.nextUniform() < beardRate)
    }

    /// The identity as numbers in [0, 1] (categories one-hot), for identity metrics and probes.
    public var featureVector: [Float] {
        func unit(_ value: Float, _ range: ClosedRange<Float>) -> Float {
            (value - range.lowerBound) / (range.upperBound - range.lowerBound)
        }
        func oneHot<T: CaseIterable & Equatable>(_ value: T) -> [Float] {
            T.allCases.map { $0 == value ? 1 : 0 }
        }
        return [
            unit(headWidth, Self.headWidthRange), unit(headDepth, Self.headDepthRange),
            unit(jawWidth, Self.jawWidthRange), unit(chinLength, Self.chinLengthRange), skinTone,
            unit(hairShade, Self.hairShadeRange), unit(hairVolume, Self.hairVolumeRange),
            unit(eyeSpacing, Self.eyeSpacingRange), unit(eyeSize, Self.eyeSizeRange),
            unit(noseLength, Self.noseLengthRange), unit(noseWidth, Self.noseWidthRange),
            unit(mouthWidth, Self.mouthWidthRange), unit(lipFullness, Self.lipFullnessRange),
            unit(earSize, Self.earSizeRange), unit(browThickness, Self.browThicknessRange),
            glasses ? 1 : 0, beard ? 1 : 0,
        ] + oneHot(hairColor) + oneHot(hairStyle) + oneHot(eyeColor)
    }
}
