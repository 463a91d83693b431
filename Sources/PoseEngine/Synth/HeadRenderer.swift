/// Renders synthetic heads by casting one orthographic ray per sample against ellipsoids and
/// lens rings in closed form, then shading the nearest surface in the scene's style. Samples
/// lie on a grid `supersampling` times finer than the pixels and are box-filtered (anti-aliasing).
///
/// A renderer keeps its sample buffers between calls: use one per thread.
public struct HeadRenderer {
    public let width: Int
    public let height: Int
    public let supersampling: Int
    private var buffer: VisibilityBuffer
    private var shapes: [ProjectedEllipsoid] = []
    private var accumulator: [Float]

    /// `supersampling` defaults to 3x3 samples per pixel up to 128 pixels and 2x2 above.
    /// Sizes below one pixel are raised to one.
    public init(width: Int, height: Int, supersampling: Int? = nil) {
        self.width = max(1, width)
        self.height = max(1, height)
        self.supersampling = max(1, supersampling ?? (max(width, height) <= 128 ? 3 : 2))
        buffer = VisibilityBuffer(columns: self.width * self.supersampling, rows: self.height * self.supersampling)
        accumulator = [Float](repeating: 0, count: self.width * self.height * 3)
    }

    public init(size: Int, supersampling: Int? = nil) {
        self.init(width: size, height: size, supersampling: supersampling)
    }

    public mutating func render(_ scene: SynthScene) -> SynthImage {
        let placement = resolveVisibility(scene)
        let shader = SurfaceShader(shapes: shapes, geometry: placement.geometry, scene: scene,
                                   rotation: placement.rotation, headCenter: placement.center, scale: scene.pose.scale)
        let styling = StyleShading(scene: scene, pixelsPerUnit: Float(height), samplesPerUnit: Float(buffer.rows))
        let outline = Outline(style: scene.style, scale: scene.pose.scale, rows: buffer.rows)
        accumulate(shader: shader, styling: styling, outline: outline)
        return finish(grain: scene.style == .photo ? ValueNoise(seed: scene.textureSeed ^ 0x6A) : nil)
    }

    /// Which part each pixel shows (at its central sample), without shading: for measuring
    /// where the head is.
    public mutating func parts(_ scene: SynthScene) -> [HeadPart] {
        _ = resolveVisibility(scene)
        let ss = supersampling
        var result = [HeadPart](repeating: .background, count: width * height)
        for row in 0..<height {
            for column in 0..<width {
                let i = (row * ss + ss / 2) * buffer.columns + column * ss + ss / 2
                result[row * width + column] = part(of: buffer.ids[i])
            }
        }
        return result
    }

    private struct Placement {
        var geometry: HeadGeometry
        var rotation: Matrix3
        var center: Vector3
    }

    /// Poses the head's shapes and finds the nearest surface at every sample.
    private mutating func resolveVisibility(_ scene: SynthScene) -> Placement {
        let geometry = HeadGeometry(identity: scene.identity, expression: scene.expression)
        let pose = scene.pose
        let rotation = pose.rotation
        let bodyRotation = pose.bodyRotation
        let center = pose.cameraCenter(aspect: Float(width) / Float(height))
        shapes = geometry.ellipsoids.map { shape in
            ProjectedEllipsoid(shape, rotation: shape.frame == .head ? rotation : bodyRotation,
                               center: center, scale: pose.scale)
        }
        let jitter = PaintJitter(scene: scene, pixelsPerUnit: Float(height), samplesPerPixel: supersampling)
        buffer.reset(jitter: jitter.map { j in { column, row in j.offset(column: column, row: row) } })
        let margin = jitter?.amplitude ?? 0
        precondition(shapes.count < Int(VisibilityBuffer.lensRim), "sample ids hold at most 254 shapes")
        for (index, shape) in shapes.enumerated() {
            buffer.draw(shape, id: UInt8(index + 1), margin: margin)
        }
        for lens in geometry.lenses {
            if let projected = ProjectedLens(lens, rotation: rotation, center: center, scale: pose.scale) {
                buffer.draw(projected, margin: margin)
            }
        }
        return Placement(geometry: geometry, rotation: rotation, center: center)
    }

    private func part(of id: UInt8) -> HeadPart {
        switch id {
        case VisibilityBuffer.background: return .background
        case VisibilityBuffer.lensRim: return .glasses
        default: return shapes[Int(id) - 1].part
        }
    }

    /// Shades each pixel once per distinct surface among its samples (at their mean position),
    /// then applies per-sample effects (hatching, glass, outlines) and averages the samples:
    /// edges get the full sample count, flat interiors cost one shading.
    private mutating func accumulate(shader: SurfaceShader, styling: StyleShading, outline: Outline) {
        let ss = supersampling
        let columns = buffer.columns
        let groups = buffer.ids.map { part(of: $0).outlineGroup }
        var surfaces = PixelSurfaces(capacity: ss * ss)
        for pixelRow in 0..<height {
            for pixelColumn in 0..<width {
                surfaces.removeAll()
                for row in (pixelRow * ss)..<(pixelRow * ss + ss) {
                    for column in (pixelColumn * ss)..<(pixelColumn * ss + ss) {
                        let i = row * columns + column
                        surfaces.add(sample: i, id: buffer.ids[i], x: buffer.sampleX[i], y: buffer.sampleY[i], z: buffer.depth[i])
                    }
                }
                for k in 0..<surfaces.count {
                    let (x, y, z) = surfaces.meanPosition(k)
                    surfaces.colors[k] = shade(id: surfaces.ids[k], x: x, y: y, z: z, shader: shader, styling: styling)
                }
                var sum = Vector3.zero
                for n in 0..<surfaces.sampleCount {
                    let i = surfaces.samples[n]
                    let x = buffer.sampleX[i], y = buffer.sampleY[i]
                    var color = styling.finish(surfaces.colors[surfaces.slots[n]], x: x, y: y)
                    if buffer.behindGlass[i] {
                        color = Glass.seenThrough(color, style: styling.style)
                    }
                    if outline.isEdge(sample: i, groups: groups, in: buffer) {
                        color = outline.draw(over: color)
                    }
                    sum += color
                }
                let p = (pixelRow * width + pixelColumn) * 3
                accumulator[p] = sum.x
                accumulator[p + 1] = sum.y
                accumulator[p + 2] = sum.z
            }
        }
    }

    private func shade(id: UInt8, x: Float, y: Float, z: Float, shader: SurfaceShader, styling: StyleShading) -> Vector3 {
        switch id {
        case VisibilityBuffer.background:
            return styling.background(x: x, y: y)
        case VisibilityBuffer.lensRim:
            return styling.color(of: shader.lensRim(), x: x, y: y)
        default:
            return styling.color(of: shader.surface(index: Int(id) - 1, x: x, y: y, z: z), x: x, y: y)
        }
    }

    /// Averages the samples of each pixel into 8-bit RGB, with film grain for photos.
    private func finish(grain: ValueNoise?) -> SynthImage {
        let norm = 1 / Float(supersampling * supersampling)
        var pixels = [UInt8](repeating: 0, count: accumulator.count)
        for p in 0..<(width * height) {
            let noise = grain.map { ($0.lattice(Int32(p % width), Int32(p / width)) - 0.5) * 0.035 } ?? 0
            for channel in 0..<3 {
                let value = accumulator[p * 3 + channel] * norm + noise
                pixels[p * 3 + channel] = UInt8(min(max(value, 0), 1) * 255 + 0.5)
            }
        }
        return SynthImage(width: width, height: height, pixels: pixels)
    }
}
