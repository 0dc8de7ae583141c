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
    public var jsonObject: [String: Any] {
        [
            "openblas_core": openBLASCore, "openblas_set_by": openBLASSource.rawValue,
            "openblas_picked": openBLASPicked as Any? ?? NSNull(), "onednn_isa": oneDNNISA, "threads": threads,
            "precision": precision.rawValue, "machine_kind": Threads.machineKind
        ]
    }
}
