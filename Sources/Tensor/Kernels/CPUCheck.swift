import Foundation

/// The tensor kernels are compiled for x86-64 CPUs with AVX2 and FMA (`-target-cpu haswell` in
/// Package.swift: the vectorised elementwise ops, dropout masks and Winograd transforms measured
/// 2-3.5x faster than with the baseline SSE2). On an older CPU the program says so and stops,
/// instead of dying of an illegal instruction in the middle of a run.
public enum CPUCheck {
    public static let required = ["avx2", "fma"]

    /// This machine's /proc/cpuinfo, or nil where it cannot be read.
    public static var thisMachinesCPUInfo: String? { try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) }

    /// The feature flags of the first CPU in `cpuinfo` (this machine's /proc/cpuinfo by default;
    /// empty if it cannot be read).
    public static func flags(cpuinfo: String? = thisMachinesCPUInfo) -> Set<String> {
        guard let cpuinfo, let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else {
            return []
        }
        return Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
    }

    /// The required features `cpuinfo` does not list (none if it cannot be read).
    public static func missingFeatures(cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        -> [String]
    {
        let present = flags(cpuinfo: cpuinfo)
        return present.isEmpty ? [] : required.filter { !present.contains($0) }
    }

    /// Why this CPU cannot run the build, in one line, or nil.
    public static var problem: String? {
        let missing = missingFeatures()
        return missing.isEmpty
            ? nil
            : "this build needs an x86-64 CPU with AVX2 and FMA; this one lacks \(missing.joined(separator: ", "))"
    }
}
