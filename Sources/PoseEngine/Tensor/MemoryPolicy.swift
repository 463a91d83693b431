/// glibc returns large blocks to the kernel as soon as they are freed, so a
/// model that allocates and frees the same activation sizes every step pays
/// page faults and zeroing on each. Raising the thresholds keeps freed blocks
/// in the heap for reuse (up to glibc's 32 MB mmap-threshold ceiling).
public enum MemoryPolicy {
    public static func keepFreedBlocksForReuse() {
        #if os(Linux)
        // <malloc.h>: M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3 (not exported by the Glibc module).
        _ = glibcMallopt(-3, 32 << 20)
        _ = glibcMallopt(-1, 512 << 20)
        #endif
    }
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
