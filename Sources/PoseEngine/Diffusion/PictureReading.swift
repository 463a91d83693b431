/// One picture of any size read by the face encoder or the judge, resampled to the network's own
/// input size by `FaceImageInput`: the studio, `embed`, `estimate` and the benches read pictures
/// this one way.
extension FaceEncoder {
    public func embedding(of picture: SynthImage) -> [Float] {
        forward(FaceImageInput.tensor(picture, size: config.imageSize)).scalars
    }
}

extension PoseJudge {
    public func estimate(_ picture: SynthImage) -> PoseValues {
        estimate(FaceImageInput.tensor(picture, size: config.imageSize))[0]
    }
}
