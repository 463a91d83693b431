/// A pair of glasses sized to a face: two framed lenses, a bridge and two arms to the ears.
struct Spectacles: Sendable {
    var ellipsoids: [Ellipsoid] = []
    var lenses: [LensDisc] = []

    init(face: FaceLayout, front: Float, headHalfWidth: Float) {
        let lensZ = front + 0.045
        let radiusU = max(0.07, face.eyeOffset * 0.62)
        let radiusV: Float = 0.055
        let lensY = face.eyeHeight - 0.005
        // A slight forward tilt of the lens plane, as glasses sit on the nose.
        let tilt = Matrix3.rotationX(-0.12)
        for side in [Float(1), -1] {
            let center = Vector3(side * face.eyeOffset * 1.04, lensY, lensZ)
            lenses.append(LensDisc(center: center, axisU: [1, 0, 0], axisV: tilt * Vector3(0, 1, 0),
                                   radiusU: radiusU, radiusV: radiusV, glassFraction: 0.8))
            let hinge = Vector3(side * (center.x.magnitude + radiusU), lensY + 0.01, lensZ - 0.01)
            let ear = Vector3(side * (headHalfWidth - 0.005), face.eyeHeight - 0.02, -0.08)
            ellipsoids.append(.along(from: hinge, to: ear, across: 0.008, deep: 0.01, part: .glasses))
        }
        let innerEdge = face.eyeOffset * 1.04 - radiusU
        ellipsoids.append(.along(from: [-innerEdge - 0.01, lensY + 0.015, lensZ], to: [innerEdge + 0.01, lensY + 0.015, lensZ],
                                 across: 0.008, deep: 0.008, part: .glasses))
    }
}
