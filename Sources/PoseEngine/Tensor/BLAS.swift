import CBLAS
import Foundation
import Dispatch
import Synchronization

/// The one doorway to OpenBLAS: row-major single-precision GEMM.
///
/// OpenBLAS runs single-threaded and PoseStudio splits large products across
/// cores itself. The latent-diffusion GEMMs are small (a few MFLOP), and
/// OpenBLAS's own threads spin in sched_yield between them, stealing the
/// second core from everything else; one split into two independent halves
/// (by rows or by columns of C) keeps both cores on arithmetic instead.
public enum BLAS {
    /// Products below this many FLOPs run on one core: splitting costs more than it saves.
    public static let parallelThreshold = 1 << 21

    /// How many cores large products are split across.
    public static let lanes = max(1, min(ProcessInfo.activeCores, 2))

    /// C = alpha * op(A) * op(B) + beta * C, all row-major.
    public static func gemm(
        transA: Bool = false, transB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        _ = singleThreadedOpenBLAS
        let flops = 2 * m * n * k
        if FLOPCounter.isCounting.load(ordering: .relaxed) {
            FLOPCounter.total.add(flops, ordering: .relaxed)
        }
        guard lanes > 1, flops >= parallelThreshold, max(m, n) >= 16 else {
            sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        let (aAddress, bAddress, cAddress) = (UInt(bitPattern: a), UInt(bitPattern: b), UInt(bitPattern: c))
        if m >= n {
            // Split the rows of C (and of op(A)).
            let half = (m + 1) / 2
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let first = part * half, rows = min(half, m - first)
                guard rows > 0 else { return }
                let aPart = pointer(aAddress) + (transA ? first : first * lda)
                sgemm(transA, transB, rows, n, k, alpha, aPart, lda, pointer(bAddress), ldb, beta,
                      mutablePointer(cAddress) + first * ldc, ldc)
            }
        } else {
            // Split the columns of C (and of op(B)).
            let half = (n + 1) / 2
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let first = part * half, columns = min(half, n - first)
                guard columns > 0 else { return }
                let bPart = pointer(bAddress) + (transB ? first * ldb : first)
                sgemm(transA, transB, m, columns, k, alpha, pointer(aAddress), lda, bPart, ldb, beta,
                      mutablePointer(cAddress) + first, ldc)
            }
        }
    }

    /// Pointers cross into the concurrent closure as addresses: the caller
    /// keeps the buffers alive for the whole (synchronous) call.
    private static func pointer(_ address: UInt) -> UnsafePointer<Float> {
        UnsafePointer(bitPattern: address).unsafelyUnwrapped
    }

    private static func mutablePointer(_ address: UInt) -> UnsafeMutablePointer<Float> {
        UnsafeMutablePointer(bitPattern: address).unsafelyUnwrapped
    }

    @inline(__always)
    private static func sgemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                              _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                              _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    private static let singleThreadedOpenBLAS: Void = openblas_set_num_threads(1)

    public static var openBLASConfig: String {
        String(cString: openblas_get_config())
    }
}

extension ProcessInfo {
    static var activeCores: Int { ProcessInfo.processInfo.activeProcessorCount }
}

/// Counts the floating-point operations of every GEMM while enabled, so a
/// benchmark can report achieved GFLOP/s of a whole model from one run.
public enum FLOPCounter {
    public static let isCounting = Atomic<Bool>(false)
    public static let total = Atomic<Int>(0)

    /// The GEMM FLOPs `body` performs.
    public static func count(_ body: () -> Void) -> Int {
        total.store(0, ordering: .relaxed)
        isCounting.store(true, ordering: .relaxed)
        body()
        isCounting.store(false, ordering: .relaxed)
        return total.load(ordering: .relaxed)
    }
}
