import Foundation
import RunFolder
import Tensor

extension SessionLog.Kernels {
    /// The engine's choice of kernels in the words sessions.csv keeps.
    public init(_ choice: KernelChoice) {
        self.init(
            precision: choice.precision.rawValue, openBLASCore: choice.openBLASCore,
            openBLASSetBy: choice.openBLASSource.rawValue, openBLASPicked: choice.openBLASPicked ?? "",
            oneDNNISA: choice.oneDNNISA)
    }
}

extension KernelChoice {
    /// One line for the terminal: "kernels: OpenBLAS SkylakeX (set by vaegan-render; the library
    /// picked Prescott), oneDNN avx512_core_bf16, 2 threads, fp32".
    public var line: String { "kernels: " + SessionLog.Kernels(self).text(threads: threads)! }

    /// The choice as `bench --json` and `kernels --json` print it.
    public struct Record: Codable, Sendable {
        public var openBLASCore: String, openBLASSetBy: String
        /// The core OpenBLAS picked itself, where vaegan-render replaced it (null otherwise).
        public var openBLASPicked: String?
        public var oneDNNISA: String, threads: Int, machineKind: String
        /// One precision (`kernels`), or the ones measured (`bench`).
        public var precision: String?, precisions: [String]?
        /// The best core this CPU's features allow (`kernels` only; null where none beats generic).
        public var cpuBestOpenBLASCore: String??

        enum CodingKeys: String, CodingKey {
            case openBLASCore = "openblas_core", openBLASSetBy = "openblas_set_by", openBLASPicked = "openblas_picked"
            case oneDNNISA = "onednn_isa", threads, machineKind = "machine_kind", precision, precisions
            case cpuBestOpenBLASCore = "cpu_best_openblas_core"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(openBLASCore, forKey: .openBLASCore)
            try c.encode(openBLASSetBy, forKey: .openBLASSetBy)
            try c.encode(openBLASPicked, forKey: .openBLASPicked)  // null when the library's pick stood
            try c.encode(oneDNNISA, forKey: .oneDNNISA)
            try c.encode(threads, forKey: .threads)
            try c.encode(machineKind, forKey: .machineKind)
            try c.encodeIfPresent(precision, forKey: .precision)
            try c.encodeIfPresent(precisions, forKey: .precisions)
            if let best = cpuBestOpenBLASCore { try c.encode(best, forKey: .cpuBestOpenBLASCore) }
        }
    }

    public var record: Record {
        Record(
            openBLASCore: openBLASCore, openBLASSetBy: openBLASSource.rawValue, openBLASPicked: openBLASPicked,
            oneDNNISA: oneDNNISA, threads: threads, machineKind: Threads.machineKind, precision: precision.rawValue)
    }
}

extension KernelChoice {
    /// `kernels --json`: the choice with the best core this CPU's features allow, one JSON object
    /// with sorted keys.
    public func kernelsJSON() throws -> String {
        var record = record
        record.cpuBestOpenBLASCore = .some(BLASCore.best(flags: CPUCheck.flags()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(record), as: UTF8.self)
    }
}

extension Precision {
    /// Why a precision cannot run on this machine: its one line (`problem`).
    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Refuse a precision this machine cannot run (`problem`), for the commands that compute in it.
    public func checkAvailable() throws {
        if let problem = problem() { throw Unavailable(description: problem) }
    }
}
