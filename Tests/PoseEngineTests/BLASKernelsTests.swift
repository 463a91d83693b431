import Testing
@testable import PoseEngine

/// OpenBLAS's fallback to its generic kernels on a CPU newer than itself is undone by starting
/// again with the best kernels the CPU runs, and only then.
@Suite struct BLASKernelsTests {
    private let emeraldRapids: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq",
                                              "avx512vl", "avx512_bf16", "avx512_fp16"]

    @Test func theBestKernelsFollowTheInstructionSet() {
        #expect(BLASKernels.best(forFlags: emeraldRapids) == "SKYLAKEX")
        #expect(BLASKernels.best(forFlags: ["avx", "avx2", "fma", "avx512f"]) == "HASWELL", "AVX-512 without its BW and VL parts")
        #expect(BLASKernels.best(forFlags: ["sse3", "avx"]) == nil)
    }

    @Test func onlyAGenericChoiceTheUserDidNotMakeIsReplaced() {
        #expect(BLASKernels.replacement(current: "Prescott", environment: [:], cpuFlags: emeraldRapids) == "SKYLAKEX")
        #expect(BLASKernels.replacement(current: "Sandybridge", environment: [:], cpuFlags: ["avx2", "fma"]) == "HASWELL")
        for modern in ["Cooperlake", "SkylakeX", "Haswell", "Zen"] {
            #expect(BLASKernels.replacement(current: modern, environment: [:], cpuFlags: emeraldRapids) == nil, "\(modern)")
        }
        #expect(BLASKernels.replacement(current: "Prescott", environment: ["OPENBLAS_CORETYPE": "Prescott"], cpuFlags: emeraldRapids) == nil,
                "the user's own choice, and the restarted process's, stand")
        #expect(BLASKernels.replacement(current: "Prescott", environment: [:], cpuFlags: ["sse3"]) == nil)
    }

    /// Start-up on modern kernels, or with the user's choice, reads no CPU flags.
    @Test func theFlagsAreReadOnlyWhenARestartIsInQuestion() {
        var reads = 0
        func flags() -> Set<String> {
            reads += 1
            return emeraldRapids
        }
        _ = BLASKernels.replacement(current: "SkylakeX", environment: [:], cpuFlags: flags())
        _ = BLASKernels.replacement(current: "Prescott", environment: ["OPENBLAS_CORETYPE": "Haswell"], cpuFlags: flags())
        #expect(reads == 0)
        #expect(BLASKernels.replacement(current: "Prescott", environment: [:], cpuFlags: flags()) == "SKYLAKEX" && reads == 1)
    }
}
