import CBLAS
import CDNNL
import Foundation

/// The settings the kernels' libraries read from the environment once, as they load, and the one
/// restart that applies them: a program calls `prepare()` first thing.
///
/// - OMP_WAIT_POLICY=PASSIVE: oneDNN's OpenMP workers spin for a while after every convolution
///   (libgomp's default policy), taking a core from the threads and OpenBLAS calls that come next:
///   16% of a training run's CPU time, the run 11% slower (measured).
/// - OPENBLAS_CORETYPE, where `BLASCore.decide` replaces the library's generic choice, with
///   `BLASCore.pickedVariable` naming what the library had picked.
///
/// A setting the user made is kept. If the restart fails, the program runs on as it is.
public enum KernelEnvironment {
    /// What `prepare` would set, given the environment, the CPU's features and the library's core.
    public static func changes(
        environment: [String: String], flags: Set<String>, libraryCore: String
    ) -> [(name: String, value: String)] {
        var out: [(String, String)] = []
        if environment["OMP_WAIT_POLICY"] == nil { out.append(("OMP_WAIT_POLICY", "PASSIVE")) }
        if case .override(let core, let picked) = BLASCore.decide(
            flags: flags, libraryCore: libraryCore, environment: environment)
        {
            out += [("OPENBLAS_CORETYPE", core), (BLASCore.pickedVariable, picked)]
        }
        return out
    }

    /// Set what `changes` says and start the program again (execv keeps the process and its
    /// arguments); nothing to set, or an exec that fails, returns.
    public static func prepare() {
        let set = changes(
            environment: ProcessInfo.processInfo.environment, flags: CPUCheck.flags(), libraryCore: Threads.blasCore)
        guard !set.isEmpty else { return }
        for (name, value) in set { setenv(name, value, 1) }
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        for (name, _) in set { unsetenv(name) }
    }
}

/// The kernels this process runs on, and who chose them: what a run records in sessions.csv and
/// `bench` prints, so that a slow machine explains itself and a figure names its kernels.
public struct KernelChoice: Equatable, Sendable {
    /// The core OpenBLAS runs (`openblas_get_corename()`).
    public var openBLASCore: String
    public var openBLASSource: BLASCore.Source
    /// The library's own choice, where this program replaced it.
    public var openBLASPicked: String?
    /// oneDNN's effective instruction set, as its enum names it without the prefix ("avx512_core_bf16").
    public var oneDNNISA: String
    public var threads: Int
    public var precision: Precision

    public init(
        openBLASCore: String, openBLASSource: BLASCore.Source, openBLASPicked: String?, oneDNNISA: String,
        threads: Int, precision: Precision
    ) {
        self.openBLASCore = openBLASCore; self.openBLASSource = openBLASSource; self.openBLASPicked = openBLASPicked
        self.oneDNNISA = oneDNNISA; self.threads = threads; self.precision = precision
    }

    /// This process's kernels, at `Threads.count` threads, for `precision`.
    public static func current(precision: Precision) -> KernelChoice {
        let environment = ProcessInfo.processInfo.environment
        let source: BLASCore.Source
        switch BLASCore.decide(flags: CPUCheck.flags(), libraryCore: Threads.blasCore, environment: environment) {
        case .keep(let s): source = s
        case .override: source = .library  // the restart did not happen (exec failed): the library's choice runs
        }
        return KernelChoice(
            openBLASCore: Threads.blasCore, openBLASSource: source,
            openBLASPicked: source == .program ? environment[BLASCore.pickedVariable] : nil,
            oneDNNISA: oneDNNISAName(dnnl_get_effective_cpu_isa().rawValue), threads: Threads.count,
            precision: precision)
    }

    /// oneDNN 2's `dnnl_cpu_isa_t` values, by name (the number where a future one is unnamed).
    public static func oneDNNISAName(_ value: UInt32) -> String {
        let names: [UInt32: String] = [
            0x1: "sse41", 0x3: "avx", 0x7: "avx2", 0x407: "avx2_vnni", 0x27: "avx512_core",
            0x67: "avx512_core_vnni", 0xe7: "avx512_core_bf16", 0x3e7: "avx512_core_amx"
        ]
        return names[value] ?? "isa-0x" + String(value, radix: 16)
    }

    /// One line where the OpenBLAS core is not the library's own fitting choice: this program
    /// replaced a generic core, or the user's OPENBLAS_CORETYPE holds a CPU that runs better
    /// kernels to generic ones. Nil otherwise, and for the first case where `line` (which names
    /// the override) is printed too (`besideLine`).
    public func note(besideLine: Bool = false, flags: Set<String> = CPUCheck.flags()) -> String? {
        switch openBLASSource {
        case .program:
            guard !besideLine else { return nil }
            return "note: OpenBLAS picked its generic \(openBLASPicked ?? "") kernels for this CPU; vaegan-render runs "
                + "\(openBLASCore)'s instead (set OPENBLAS_CORETYPE to choose)"
        case .user:
            guard BLASCore.tier(of: openBLASCore) == .generic, let better = BLASCore.best(flags: flags) else {
                return nil
            }
            return "note: OPENBLAS_CORETYPE holds OpenBLAS to its generic \(openBLASCore) kernels; "
                + "this CPU runs \(better)'s (unset OPENBLAS_CORETYPE to let vaegan-render choose)"
        case .library:
            return nil
        }
    }
}
