import CBLAS
import Foundation

/// Which of OpenBLAS's kernels run PoseStudio's products.
///
/// Debian's OpenBLAS (0.3.21) picks its kernels from the CPU's family and model when the library
/// loads. A CPU newer than the library (an Emerald Rapids Xeon, family 6 model 207) is unknown to
/// it, and it falls back to its generic Prescott kernels: `posestudio bench engine` measured
/// sgemm at 30 GFLOP/s with them against 206 to 213 with the AVX-512 kernels the same CPU runs, and
/// a first preview 3.7 times slower. The choice is made before main runs, so it can only be
/// changed by starting the process again with OPENBLAS_CORETYPE naming the kernels to use.
public enum BLASKernels {
    /// The kernels OpenBLAS chose for this process ("Cooperlake", "Haswell", "Prescott").
    public static var current: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Kernels that use AVX2 or AVX-512: nothing faster for this machine is worth a restart.
    static let modern: Set<String> = ["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"]

    /// The fastest kernels an x86-64 CPU with these /proc/cpuinfo flags runs, or nil when it has
    /// no AVX2 (OpenBLAS's own choice is then as good as any). Cooperlake's kernels add bfloat16
    /// products PoseStudio does not use: its sgemm ran at 213 GFLOP/s against SkylakeX's 206.
    static func best(forFlags flags: Set<String>) -> String? {
        let skylakeX: Set<String> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
        if skylakeX.isSubset(of: flags) { return "SKYLAKEX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "HASWELL" }
        return nil
    }

    /// The kernels to start again with: nil when OpenBLAS already runs modern ones, the user chose
    /// with OPENBLAS_CORETYPE, or the CPU has nothing better. The CPU's flags are read only when
    /// asked for, so a process on modern kernels starts without reading /proc/cpuinfo.
    static func replacement(current: String, environment: [String: String], cpuFlags: @autoclosure () -> Set<String>) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, !modern.contains(current.lowercased()) else { return nil }
        return best(forFlags: cpuFlags())
    }

    /// Starts this program again with the best kernels the CPU runs when OpenBLAS fell back to
    /// older ones; returns (and carries on as it is) when there is nothing to change or the
    /// restart fails. Call first thing in main, before any other work.
    public static func restartWithBestKernelsIfNeeded() {
        #if os(Linux) && arch(x86_64)
        guard let kernels = replacement(current: current, environment: ProcessInfo.processInfo.environment,
                                        cpuFlags: cpuFlags()) else { return }
        setenv("OPENBLAS_CORETYPE", kernels, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: the restart failed. The slower kernels still compute the same products.
        unsetenv("OPENBLAS_CORETYPE")
        #endif
    }

    /// The instruction-set flags of the first CPU in /proc/cpuinfo.
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
