import ArgumentParser
import Console
import Tensor
import Training

/// `vaegan-render kernels`: which kernels this machine runs, and who chose them.
struct Kernels: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Say which kernels this machine runs: OpenBLAS's core and who chose it, oneDNN's instruction set.",
        discussion: """
            OpenBLAS picks its kernels by CPU model when it loads, and falls back to generic SSE3 kernels \
            (Prescott) on a CPU newer than its table. vaegan-render then sets OPENBLAS_CORETYPE to the best core \
            the CPU's features allow (SkylakeX on AVX-512, Haswell on AVX2) and starts itself again. A core the \
            user set in OPENBLAS_CORETYPE is kept. train-and-record and bench name their kernels in their first \
            line; each session's go to the run's sessions.csv.
            """)

    @OptionGroup var work: WorkOptions
    @Option(help: "fp32 or bf16: the precision to report (bf16 is checked against this CPU).")
    var precision: Precision = .fp32
    @Flag(help: "Print one JSON object instead of a line.")
    var json = false

    func run() throws {
        try precision.checkAvailable()
        Threads.set(work.threads)
        let choice = KernelChoice.current(precision: precision)
        if json { return print(try choice.kernelsJSON()) }
        print(choice.line)
        if let note = choice.note(besideLine: true) { Terminal.info(note, quiet: work.quiet) }
    }
}
