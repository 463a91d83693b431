import Foundation
import Testing
@testable import PoseEngine

@Suite struct DiffusionSchedulerTests {
    let schedule = try! NoiseSchedule()

    @Test func alphasCumprodFollowTheScaledLinearFormula() {
        let n = 1000
        func beta(_ i: Int) -> Double {
            let root = 0.00085.squareRoot() + (0.012.squareRoot() - 0.00085.squareRoot()) * Double(i) / Double(n - 1)
            return root * root
        }
        #expect(abs(schedule.betas[0] - 0.00085) < 1e-12)
        #expect(abs(schedule.betas[999] - 0.012) < 1e-12)
        var product = 1.0
        for i in 0..<n {
            product *= 1 - beta(i)
            #expect(abs(schedule.alphasCumprod[i] - product) < 1e-12)
        }
        // Values diffusers prints for SD 1.5's schedule.
        #expect(abs(schedule.alphasCumprod[0] - 0.99915) < 1e-5)
        #expect(abs(schedule.alphasCumprod[999] - 0.00466) < 1e-5)
        #expect(abs(schedule.finalAlphaBar - schedule.alphasCumprod[0]) < 1e-15)
    }

    @Test func leadingSpacingWithStepsOffsetMatchesDiffusers() {
        // DDIMScheduler.set_timesteps(10) and (4) with SD's config.
        #expect(DDIMScheduler(schedule: schedule, steps: 10).timesteps == [901, 801, 701, 601, 501, 401, 301, 201, 101, 1])
        #expect(DDIMScheduler(schedule: schedule, steps: 4).timesteps == [751, 501, 251, 1])
        #expect(EulerAncestralScheduler(schedule: schedule, steps: 4).timesteps == [751, 501, 251, 1])
        // DPMSolverMultistepScheduler.set_timesteps(4): step ratio 1000 // 5.
        #expect(DPMSolverMultistepScheduler(schedule: schedule, steps: 4).timesteps == [801, 601, 401, 201])
        var trailing = SchedulerConfig.stableDiffusion
        trailing.timestepSpacing = "trailing"
        #expect(TimestepSpacing.timesteps(steps: 4, config: trailing) == [999, 749, 499, 249])
    }

    @Test func schedulerConfigReadsDiffusersKeysAndDefaultsTheRest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sched-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let assumed = try NoiseSchedule.load(modelFolder: folder)
        #expect(assumed.schedule == schedule)
        #expect(assumed.assumedNote?.hasPrefix("\(folder.path) has no scheduler/scheduler_config.json") == true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("scheduler"), withIntermediateDirectories: true)
        try Data(#"{"beta_schedule": "linear", "beta_end": 0.02}"#.utf8)
            .write(to: folder.appendingPathComponent("scheduler/scheduler_config.json"))
        let (linear, note) = try NoiseSchedule.load(modelFolder: folder)
        #expect(note == nil)
        #expect(abs(linear.betas[999] - 0.02) < 1e-12 && linear.config.stepsOffset == 1)
        var bad = SchedulerConfig.stableDiffusion
        bad.predictionType = "v_prediction"
        #expect(throws: NoiseScheduleError.self) { try NoiseSchedule(config: bad) }
    }

    @Test func ddimStepMatchesTheClosedFormOnAKnownEps() {
        var ddim = DDIMScheduler(schedule: schedule, steps: 10)
        let x = randomTensor([1, 4, 2, 2], seed: 1), eps = randomTensor([1, 4, 2, 2], seed: 2)
        var generator = SeededGenerator(seed: 0)
        let next = ddim.step(x, eps: eps, step: 0, generator: &generator)
        let (a, ap) = (schedule.alphasCumprod[901], schedule.alphasCumprod[801])
        for i in 0..<x.count {
            let x0 = (Double(x.scalars[i]) - (1 - a).squareRoot() * Double(eps.scalars[i])) / a.squareRoot()
            let expected = ap.squareRoot() * x0 + (1 - ap).squareRoot() * Double(eps.scalars[i])
            #expect(abs(Double(next.scalars[i]) - expected) < 1e-5)
        }
        // The last step lands on alpha_bar[0] (set_alpha_to_one false).
        let last = ddim.step(x, eps: eps, step: 9, generator: &generator)
        let (a1, a0) = (schedule.alphasCumprod[1], schedule.alphasCumprod[0])
        let x0 = (Double(x.scalars[0]) - (1 - a1).squareRoot() * Double(eps.scalars[0])) / a1.squareRoot()
        #expect(abs(Double(last.scalars[0]) - (a0.squareRoot() * x0 + (1 - a0).squareRoot() * Double(eps.scalars[0]))) < 1e-5)
    }

    @Test func ddimWithEtaZeroIsDeterministicAndEtaOneDrawsNoise() {
        let x = randomTensor([1, 4, 2, 2], seed: 1), eps = randomTensor([1, 4, 2, 2], seed: 2)
        var g1 = SeededGenerator(seed: 1), g2 = SeededGenerator(seed: 2)
        var deterministic = DDIMScheduler(schedule: schedule, steps: 10, eta: 0)
        #expect(deterministic.step(x, eps: eps, step: 3, generator: &g1) == deterministic.step(x, eps: eps, step: 3, generator: &g2))
        var noisy = DDIMScheduler(schedule: schedule, steps: 10, eta: 1)
        #expect(noisy.step(x, eps: eps, step: 3, generator: &g1) != noisy.step(x, eps: eps, step: 3, generator: &g2))
    }

    /// Data that is one fixed latent: eps(x_t) = (x_t - sqrt(abar) x0) / sqrt(1 - abar) exactly.
    @Test(arguments: SamplerKind.allCases)
    func everySamplerReachesAPointMassDataLatent(kind: SamplerKind) {
        let target = randomTensor([1, 4, 4, 4], seed: 11, std: 0.8)
        let result = sample(kind: kind, steps: 12, noiseSeed: 3) { x, abar in
            combine(1 / (1 - abar).squareRoot(), x, -(abar / (1 - abar)).squareRoot(), target)
        }
        // DDIM stops at alpha_bar[0], a noise level of sqrt(1 - 0.99915) = 0.03.
        let tolerance: Float = kind == .ddim ? 0.15 : 1e-3
        #expect(result.maxAbsDifference(target) < tolerance, "\(kind): \(result.maxAbsDifference(target))")
    }

    /// Data ~ N(mu, s^2) per element: the exact eps is linear in x_t, and the samples'
    /// mean and spread must come out as the data's.
    @Test(arguments: SamplerKind.allCases)
    func everySamplerReproducesAGaussianDataDistribution(kind: SamplerKind) {
        let (mu, s): (Float, Float) = (0.7, 0.3)
        // Ancestral sampling is first order in a stochastic solve: it needs more steps for the same error.
        let steps = kind == .eulerAncestral ? 100 : 30
        let result = sample(kind: kind, steps: steps, noiseSeed: 5, shape: [1, 1, 1, 4000], eps: Self.gaussianDataEps(mean: mu, std: s))
        let (mean, std) = meanAndSpread(result)
        #expect(abs(mean - mu) < 0.03, "\(kind) mean \(mean)")
        #expect(abs(std - s) < 0.04, "\(kind) std \(std)")
    }

    @Test func remainderSpacingKeepsBothEndsWithoutRepeats() {
        let nine = TimestepSpacing.remainder(from: 851, to: 1, steps: 9)
        #expect(nine.count == 9 && nine.first == 851 && nine.last == 1)
        #expect(zip(nine, nine.dropFirst()).allSatisfy { abs($0 - $1 - 106) <= 1 }, "\(nine)")
        let leading = TimestepSpacing.timesteps(steps: 20, config: schedule.config)
        #expect(TimestepSpacing.remainder(from: leading[2], to: 1, steps: 18) == Array(leading.dropFirst(2)))
        #expect(TimestepSpacing.remainder(from: 5, to: 1, steps: 10) == [5, 4, 3, 2, 1])
        #expect(TimestepSpacing.remainder(from: 5, to: 1, steps: 1) == [5])
    }

    /// Walked on from step 2 in as many steps as it has left, a trajectory is the same walk: bit for
    /// bit with DDIM, up to rounding with Euler ancestral (whose sample is scaled out and back in,
    /// and whose noise comes from the same generator), and with DPM++ 2M up to its first step
    /// after the resume, which has no history and so is first order.
    @Test(arguments: SamplerKind.allCases)
    func aRemainderInAllItsStepsIsTheSameWalk(kind: SamplerKind) {
        let eps = Self.gaussianDataEps(mean: 0.7, std: 0.3)
        var full = start(kind, steps: 20, noiseSeed: 4)
        walk(&full, eps: eps, until: 2)
        var resumed = full.remainder(inSteps: 18, sampler: kind, eta: 0)
        #expect(resumed.scheduler.timesteps == Array(full.scheduler.timesteps.dropFirst(2)))
        walk(&full, eps: eps)
        walk(&resumed, eps: eps)
        let difference = resumed.sample.maxAbsDifference(full.sample)
        switch kind {
        case .ddim: #expect(difference == 0)
        case .eulerAncestral: #expect(difference < 1e-4, "\(difference)")
        case .dpmpp2m: #expect(difference > 0 && difference < 1e-3, "\(difference)")
        }
    }

    /// Resumed a third of the way and walked on in fewer, wider steps, every sampler still draws
    /// the data distribution (the wider steps cost some accuracy in the spread, as a shorter walk
    /// from noise does). Euler ancestral's fresh noise would hide a badly carried sample here;
    /// `aRemainderInAllItsStepsIsTheSameWalk` catches that.
    @Test(arguments: SamplerKind.allCases)
    func everySamplersRemainderReproducesAGaussianDataDistribution(kind: SamplerKind) {
        let (mu, s): (Float, Float) = (0.7, 0.3)
        let eps = Self.gaussianDataEps(mean: mu, std: s)
        let (steps, rest) = kind == .eulerAncestral ? (120, 50) : (30, 12)
        var state = start(kind, steps: steps, noiseSeed: 6, shape: [1, 1, 1, 4000])
        walk(&state, eps: eps, until: steps / 3)
        var resumed = state.remainder(inSteps: rest, sampler: kind, eta: 0)
        #expect(resumed.scheduler.stepCount == rest && resumed.scheduler.timesteps.last == state.scheduler.timesteps.last)
        walk(&resumed, eps: eps)
        let result = resumed.scheduler.finalLatent(resumed.sample)
        let (mean, std) = meanAndSpread(result)
        #expect(abs(mean - mu) < 0.03, "\(kind) mean \(mean)")
        #expect(abs(std - s) < 0.07, "\(kind) std \(std)")
    }

    /// Noised back from the next step's level, a sample of the forward process's marginal there
    /// (Gaussian data) comes out as the marginal at this step's level, in every sampler's own
    /// sample space: mean sqrt(abar) mu, variance abar s^2 + 1 - abar.
    @Test(arguments: SamplerKind.allCases)
    func renoisingKeepsTheForwardMarginal(kind: SamplerKind) {
        let (mu, s): (Float, Float) = (0.7, 0.3)
        let scheduler = kind.makeScheduler(steps: 20, schedule: schedule, eta: 0)
        var generator = SeededGenerator(seed: 8)
        for index in [0, 5, 12] {
            let (later, now) = (scheduler.alphaBar(step: index + 1), scheduler.alphaBar(step: index))
            let data = Tensor.randomNormal([1, 1, 1, 20000], generator: &generator).map { mu + s * $0 }
            let noise = Tensor.randomNormal([1, 1, 1, 20000], generator: &generator)
            let x = combine(later.squareRoot(), data, (1 - later).squareRoot(), noise)
            let renoised = scheduler.renoised(scheduler.sample(fromModelInput: x, step: index + 1), afterStep: index, generator: &generator)
            let (mean, std) = meanAndSpread(scheduler.modelInput(renoised, step: index))
            let expected = (mean: now.squareRoot() * mu, std: (now * s * s + 1 - now).squareRoot())
            #expect(abs(mean - expected.mean) < 0.03, "\(kind) step \(index): mean \(mean), expected \(expected.mean)")
            #expect(abs(std - expected.std) < 0.02, "\(kind) step \(index): std \(std), expected \(expected.std)")
        }
    }

    /// Guidance in a remainder acts down to the full walk's last guided timestep.
    @Test func aRemainderGuidesDownToTheSameTimestep() {
        var state = start(.ddim, steps: 20, noiseSeed: 1)
        state.guidedSteps = 10  // timesteps 951 ... 501
        state.nextStep = 2
        let rest = state.remainder(inSteps: 9, sampler: .ddim, eta: 0)
        #expect(rest.guidedSteps == 4, "851, 745, 638 and 532 are guided; 426 is past 501: \(rest.scheduler.timesteps)")
        state.guidedSteps = 0
        #expect(state.remainder(inSteps: 9, sampler: .ddim, eta: 0).guidedSteps == 0)
        state.nextStep = 20
        #expect(state.remainder(inSteps: 9, sampler: .ddim, eta: 0).scheduler.stepCount == 20, "a finished walk has no remainder")
    }

    /// Data ~ N(mean, std^2) per element: E[eps | x_t] = sqrt(1 - abar) (x_t - sqrt(abar) mean) / (abar std^2 + 1 - abar).
    static func gaussianDataEps(mean: Float, std: Float) -> (Tensor, Float) -> Tensor {
        { x, abar in
            let denominator = abar * std * std + 1 - abar
            return x.map { (1 - abar).squareRoot() * ($0 - abar.squareRoot() * mean) / denominator }
        }
    }

    private func start(_ kind: SamplerKind, steps: Int, noiseSeed: UInt64, shape: [Int] = [1, 4, 4, 4]) -> TrajectoryState {
        let scheduler = kind.makeScheduler(steps: steps, schedule: schedule, eta: 0)
        var generator = SeededGenerator(seed: noiseSeed)
        let noise = Tensor.randomNormal(shape, generator: &generator)
        return TrajectoryState(scheduler: scheduler, sample: scheduler.initialSample(noise: noise), generator: generator,
                               nextStep: 0, guidedSteps: 0)
    }

    private func walk(_ state: inout TrajectoryState, eps: (Tensor, Float) -> Tensor, until end: Int = .max) {
        while !state.isFinished, state.nextStep < end {
            let i = state.nextStep
            let prediction = eps(state.scheduler.modelInput(state.sample, step: i), state.scheduler.alphaBar(step: i))
            state.sample = state.scheduler.step(state.sample, eps: prediction, step: i, generator: &state.generator)
            state.nextStep += 1
        }
    }

    private func sample(kind: SamplerKind, steps: Int, noiseSeed: UInt64, shape: [Int] = [1, 4, 4, 4],
                        eps: (Tensor, Float) -> Tensor) -> Tensor {
        var state = start(kind, steps: steps, noiseSeed: noiseSeed, shape: shape)
        walk(&state, eps: eps)
        return state.scheduler.finalLatent(state.sample)
    }

    /// The mean and the standard deviation of a sample's elements.
    private func meanAndSpread(_ result: Tensor) -> (mean: Float, std: Float) {
        let n = Float(result.count)
        let mean = result.sum() / n
        return (mean, (result.scalars.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot())
    }
}
