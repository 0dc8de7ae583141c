import CBLAS
import CDNNL
import Synchronization

/// The one place that sets how many threads the heavy kernels use.
///
/// Convolutions (oneDNN, OpenMP) get all `count` threads. OpenBLAS runs the model's dense layers,
/// which are tiny GEMMs, on one thread: its worker threads busy-wait for a long while after each
/// call, and on a 2-core machine they then steal a core from the next convolution (measured: a
/// D+G iteration 8% slower, the first convolution after an sgemm 50x slower).
public enum Threads {
    private static let setting = Atomic<Int>(1)

    /// Threads for the heavy kernels and the parallel loops.
    public static var count: Int { setting.load(ordering: .relaxed) }

    public static func set(_ n: Int) {
        precondition(n >= 1)
        setting.store(n, ordering: .relaxed)
        openblas_set_num_threads(1)
        omp_set_num_threads(Int32(n))
    }

    /// Run `body` with OpenBLAS on `n` threads (the sgemm peak of `bench`), then back to one.
    public static func withBLASThreads<R>(_ n: Int, _ body: () -> R) -> R {
        openblas_set_num_threads(Int32(n))
        defer { openblas_set_num_threads(1) }
        return body()
    }

    /// The core OpenBLAS runs on (e.g. "SkylakeX", "Zen"; `KernelChoice` says who chose it).
    public static var blasCore: String { String(cString: openblas_get_corename()) }

    /// Which kernels this machine runs: oneDNN's instruction set (its `dnnl_cpu_isa_t` value) and
    /// OpenBLAS's core. Results are bit-for-bit reproducible between machines of one kind (with
    /// the same thread count), not across kinds.
    public static var machineKind: String { "dnnl-isa-\(dnnl_get_effective_cpu_isa().rawValue)-\(blasCore)" }
}
