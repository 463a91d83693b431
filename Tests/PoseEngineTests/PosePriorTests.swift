import Foundation
import Testing
@testable import PoseEngine

/// The targets' layout laid into the starting noise (`PosePrior`, `StudioSettings.posePrior`).
struct PosePriorTests {
    /// The averaged people, posed minus as they are: the difference is densest where the head
    /// is asked for (the people's own heads, spread over the picture, leave a thinner one).
    @Test(arguments: [Float(0.3), -0.3])
    func thePosedPeopleDifferFromThemselvesMostWhereTheHeadIsAskedFor(x: Float) {
        let size = 32
        let world = SynthDataset(seed: PosePrior.worldSeed, imageSize: size, identityCount: PosePrior.peopleCount)
        let scenes = (0..<PosePrior.peopleCount).map { world.spec($0).scene }
        var targets = GuidanceTargets()
        targets.steer(.x, to: x)
        targets.steer(.y, to: 0)
        targets.steer(.scale, to: 0.3)
        let posed = PosePrior.meanPicture(of: scenes.map { PosePrior.posed($0, targets) }, size: size)
        let own = PosePrior.meanPicture(of: scenes, size: size)
        let centre = (column: (0.5 + x) * Float(size), row: 0.5 * Float(size)), radius = 0.15 * Float(size)
        var inside: [Float] = [], outside: [Float] = []
        for channel in 0..<3 {
            for row in 0..<size {
                for column in 0..<size {
                    let i = (channel * size + row) * size + column
                    let (dx, dy) = (Float(column) + 0.5 - centre.column, Float(row) + 0.5 - centre.row)
                    let d = abs(posed.scalars[i] - own.scalars[i])
                    if dx * dx + dy * dy < radius * radius { inside.append(d) } else { outside.append(d) }
                }
            }
        }
        let (near, far) = (inside.reduce(0, +) / Float(inside.count), outside.reduce(0, +) / Float(outside.count))
        #expect(near > 2 * far, "mean difference where the head is asked for \(near), elsewhere \(far)")
    }

    @Test func onlyTheActiveTargetsArePutInPlace() {
        let scene = SynthDataset(seed: PosePrior.worldSeed, imageSize: 16, identityCount: 4).spec(0).scene
        var targets = GuidanceTargets(values: PoseValues(pitch: 20, yaw: -40, x: 0.1, y: -0.1, scale: 0.6))
        targets.set(.yaw, active: true)
        let posed = PosePrior.posed(scene, targets).pose
        #expect(posed.yaw == -40)
        #expect(posed.pitch == scene.pose.pitch && posed.x == scene.pose.x && posed.y == scene.pose.y
            && posed.scale == scene.pose.scale && posed.roll == scene.pose.roll)
    }

    @Test func withoutActiveTargetsThePriorIsZero() throws {
        let prior = PosePrior(vae: try StudioTestModels.models().vae)
        #expect(prior.latent(for: GuidanceTargets()).maxAbs() == 0)
        var targets = GuidanceTargets()
        targets.steer(.yaw, to: 60)
        #expect(prior.latent(for: targets).maxAbs() > 0)
    }

    /// Every sampler's first model input moves by strength x sqrt(alpha_bar) x the prior, and by
    /// nothing when the strength is 0, the key absent, guidance off or no step guided.
    @Test(arguments: SamplerKind.allCases)
    func theStartCarriesThePriorAtTheFirstStepsSignalLevel(sampler: SamplerKind) throws {
        let engine = try StudioTestModels.engine()
        var settings = StudioTestModels.settings()
        settings.sampler = sampler
        settings.targets.steer(.x, to: -0.2)
        func firstInput(_ edit: (inout StudioSettings) -> Void) -> Tensor {
            var s = settings
            edit(&s)
            let state = engine.start(s, steps: s.steps)
            return state.scheduler.modelInput(state.sample, step: 0)
        }
        let plain = firstInput { $0.posePrior = 0 }
        let strength: Float = 4
        let led = firstInput { $0.posePrior = strength }
        let scheduler = engine.start(settings, steps: settings.steps).scheduler
        let expected = engine.posePriorLatent(settings.targets) * (strength * scheduler.alphaBar(step: 0).squareRoot())
        #expect((led - plain).maxAbsDifference(expected) < 1e-4 * max(1, expected.maxAbs()))
        #expect(expected.maxAbs() > 1e-3)
        #expect(firstInput { $0.posePrior = nil } == plain)
        #expect(firstInput { $0.guidance = 0 } == plain, "no guidance, no prior")
        #expect(firstInput { $0.guidanceFraction = 0 } == plain, "no guided step, no prior")
    }

    /// A walk resumed under moved targets carries the new targets' prior instead of its
    /// trajectory's, at the resumed step's signal level; guidance turned off takes it away, and a
    /// change of guidance weight alone keeps it.
    @Test(arguments: SamplerKind.allCases)
    func aResumedWalkSwapsItsTrajectorysPriorForItsOwn(sampler: SamplerKind) throws {
        let engine = try StudioTestModels.engine()
        var previous = StudioTestModels.settings(steps: 6)
        (previous.sampler, previous.posePrior) = (sampler, 4)
        var state = engine.start(previous, steps: previous.steps)
        let conditioning = try engine.prepare(previous)
        for _ in 0..<2 { _ = try engine.advance(&state, settings: previous, conditioning: conditioning) }
        var moved = previous
        moved.targets.steer(.yaw, to: 45)
        let plain = state.remainder(inSteps: 3, sampler: sampler, eta: 0)
        func input(_ s: TrajectoryState) -> Tensor { s.scheduler.modelInput(s.sample, step: 0) }
        let swapped = engine.resumed(state, inSteps: 3, moved, trajectoryOf: previous)
        let expected = (engine.posePriorLatent(moved.targets) - engine.posePriorLatent(previous.targets))
            * (4 * plain.scheduler.alphaBar(step: 0).squareRoot())
        #expect(expected.maxAbs() > 1e-4)
        #expect((input(swapped) - input(plain)).maxAbsDifference(expected) < 1e-4 * max(1, expected.maxAbs()))
        var unguided = moved
        unguided.guidance = 0
        let removed = input(engine.resumed(state, inSteps: 3, unguided, trajectoryOf: previous)) - input(plain)
        let laidBefore = engine.posePriorLatent(previous.targets) * (4 * plain.scheduler.alphaBar(step: 0).squareRoot())
        #expect((removed + laidBefore).maxAbs() < 1e-4, "guidance turned off takes the trajectory's prior away")
        var heavier = previous
        heavier.guidance *= 2
        #expect(engine.resumed(state, inSteps: 3, heavier, trajectoryOf: previous).sample == plain.sample)
    }

    @Test func olderSessionsStartFromPureNoise() throws {
        try expectNewSettingsKey(\.posePrior, loadsAs: nil, refuses: [-1, StudioSettings.maximumPosePrior + 1, .nan],
                                 accepts: 0, naming: "pose prior")
        #expect(StudioSettings().posePrior ?? 0 > 0, "new settings lay the targets into the noise")
    }
}
