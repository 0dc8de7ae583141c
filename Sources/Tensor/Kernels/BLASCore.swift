/// Which of OpenBLAS's kernel sets ("cores") the engine's GEMMs run on, chosen from what the CPU
/// can do rather than from the library's table of CPU models.
///
/// Debian's OpenBLAS 0.3.21 is built for every x86-64 core at once (DYNAMIC_ARCH) and picks one
/// when it loads, by CPU family and model. A CPU newer than its table gets a generic core: an
/// Emerald Rapids Xeon (family 6, model 207) runs the Prescott kernels of 2004, SSE3 only, and
/// sgemm at a quarter of the speed that SkylakeX's AVX-512 kernels reach on it; the whole training
/// loop ran 3.3x slower (BENCHMARKS.md). The library reads OPENBLAS_CORETYPE once, as it loads,
/// so the program sets it and starts itself again (`KernelEnvironment`).
///
/// The rule, kept deliberately narrow: a core the user set is kept; a core the library chose that
/// fits the CPU (an AVX2 or AVX-512 core) is kept; only a generic core on a CPU that runs a better
/// one correctly is replaced, by the best core the CPU's features allow.
public enum BLASCore {
    /// How much of the CPU a core uses, in the order OpenBLAS's kernels grew.
    public enum Tier: Int, Comparable, Sendable {
        /// SSE2/SSE3 kernels: what OpenBLAS falls back to on a CPU it does not know.
        case generic = 0
        /// AVX (Sandy Bridge; AMD's Bulldozer line).
        case avx = 1
        /// AVX2 and FMA (Haswell, Zen).
        case avx2 = 2
        /// AVX-512 (Skylake-X, Cooper Lake, Sapphire Rapids).
        case avx512 = 3

        public static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }
    }

    /// The tier of a core, by the name `openblas_get_corename()` gives (any case). Names not
    /// listed (a future library's) count as fitting, so that the program never overrides a core
    /// it does not know.
    public static func tier(of core: String) -> Tier? {
        switch core.lowercased() {
        case "unknown", "katmai", "coppermine", "northwood", "prescott", "banias", "atom", "core2", "penryn",
            "dunnington", "nehalem", "athlon", "opteron", "opteron_sse3", "barcelona", "nano", "bobcat":
            return .generic
        case "sandybridge", "bulldozer", "piledriver", "steamroller", "excavator": return .avx
        case "haswell", "zen": return .avx2
        case "skylakex", "cooperlake", "sapphirerapids": return .avx512
        default: return nil
        }
    }

    /// The CPU features (as /proc/cpuinfo names them) each tier's kernels execute.
    static let avx512Features: Set<String> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
    static let avx2Features: Set<String> = ["avx", "avx2", "fma"]

    /// The best core for a CPU with these features, or nil where nothing beats the generic ones.
    ///
    /// On AVX-512, SkylakeX: measured against Cooperlake (the other AVX-512 core 0.3.21 has, which
    /// adds bfloat16 GEMMs this engine does not call), SkylakeX's sgemm was as fast or faster on
    /// the engine's shapes and on 1024^3, on the Emerald Rapids of the report (99 against 76 GFLOPS)
    /// and on this project's Zen 5 (BENCHMARKS.md, "Kernels on every CPU"). On AVX2 + FMA, Haswell: the
    /// AVX2 kernels every such CPU (Intel or AMD) runs. On AVX alone, Sandybridge.
    public static func best(flags: Set<String>) -> String? {
        if flags.isSuperset(of: avx512Features) { return "SkylakeX" }
        if flags.isSuperset(of: avx2Features) { return "Haswell" }
        if flags.contains("avx") { return "Sandybridge" }
        return nil
    }

    /// Who set the core the engine runs on.
    public enum Source: String, Sendable, Equatable {
        /// OpenBLAS's own choice for this CPU.
        case library
        /// OPENBLAS_CORETYPE from the user's environment.
        case user
        /// This program, replacing the library's generic choice.
        case program = "vaegan-render"
    }

    /// What to do, given the library's choice (the core it loaded with, OPENBLAS_CORETYPE unset),
    /// the CPU's features and the environment the program started with.
    public enum Decision: Equatable, Sendable {
        /// Run on the core the library runs now; `source` says who chose it.
        case keep(source: Source)
        /// Set OPENBLAS_CORETYPE to `core` and start again: the library picked `picked`.
        case override(core: String, picked: String)
    }

    /// OPENBLAS_CORETYPE's companion: set with it by this program (and only then), naming the
    /// core the library had picked, so that the restarted program knows the setting is its own.
    public static let pickedVariable = "VAEGAN_RENDER_OPENBLAS_PICKED"

    /// For tests on CPUs the library knows: the core to treat as the library's own choice.
    public static let testPickedVariable = "VAEGAN_TEST_OPENBLAS_PICKED"

    /// The rule above, as a function of its inputs alone.
    public static func decide(flags: Set<String>, libraryCore: String, environment: [String: String]) -> Decision {
        if let set = environment["OPENBLAS_CORETYPE"], !set.isEmpty {
            return .keep(source: environment[pickedVariable] == nil ? .user : .program)
        }
        let picked = environment[testPickedVariable] ?? libraryCore
        guard tier(of: picked) == .generic, let better = best(flags: flags) else {
            return .keep(source: .library)
        }
        return .override(core: better, picked: picked)
    }
}
