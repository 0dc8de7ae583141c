import ArgumentParser
import Bench
import Datasets
import Foundation
import RunFolder
import Tensor

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Time the kernels: every convolution of the model (forward, backward-data, backward-weights) next to the sgemm peak.",
        discussion: """
            Medians of repeated runs after warm-up. Compare figures as ratios measured in one run; the machine is shared and noisy.
            FLOPs are those of direct convolution (2 per multiply-add), also for the layers that run Winograd's algorithm, \
            which does fewer: their GFLOPS are effective rates and can exceed the sgemm peak.
            """)

    @Option(help: "Threads for OpenBLAS and oneDNN.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(
        name: .customLong("batch-size"), help: "Training batch size (the decoder runs on 2x, the discriminator on 3x).")
    var batchSize: Int = RunDefaults.batchSize
    @Option(help: "Timed repetitions per measurement.")
    var repeats: Int = 10
    @Option(
        help: ArgumentHelp(
            "fp32 or bf16; give it twice for both. Default: both where the CPU has AVX512_BF16, else fp32."))
    var precision: [Precision] = []
    @Option(
        help: ArgumentHelp(
            "The PyTorch anchor's JSON of this sitting (scripts/anchor.sh): adds our figures over its figures.",
            valueName: "file"))
    var anchor: String?
    @Option(help: "The images' side the model is made for: a multiple of 4 from 16 to 64.")
    var side: Int = DataDescription.digits.side
    @Option(help: "The images' channels: 1 (grey) or 3 (colour).")
    var channels: Int = DataDescription.digits.channels
    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    /// MNIST's ten classes, in images of the shape asked.
    var data: DataDescription {
        DataDescription(classes: DataDescription.digits.classes, side: side, channels: channels)
    }

    func validate() throws {
        try checkRange(threads, RunLimits.threads, "--threads")
        try checkRange(batchSize, 1...4096, "--batch-size")
        try checkRange(repeats, 1...1000, "--repeats")
        if let problem = data.problem { throw ValidationError("--side \(side) --channels \(channels): \(problem)") }
    }

    func run() throws {
        let precisions = try Precision.benched(asked: precision)
        let anchorFigures = try anchor.map { try Anchor.read(path: $0) }
        Threads.set(threads)
        let report = BenchReport(
            threads: threads, batch: batchSize, repeats: repeats, precisions: precisions, data: data,
            anchor: anchorFigures)
        report.print(json: json)
    }
}
