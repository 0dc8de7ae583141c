import CBLAS
import CDNNL

/// The one place that sets how many threads the heavy kernels use. OpenBLAS and oneDNN (OpenMP)
/// keep their own pools, and both busy-wait, so they are set together and once.
public enum Threads {
    public private(set) static var count = 1

    public static func set(_ n: Int) {
        precondition(n >= 1)
        count = n
        openblas_set_num_threads(Int32(n))
        omp_set_num_threads(Int32(n))
    }

    /// The core OpenBLAS picked for this CPU (e.g. "Cooperlake").
    public static var blasCore: String { String(cString: openblas_get_corename()) }
}
