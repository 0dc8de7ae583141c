import ArgumentParser
import Datasets
import Foundation
import RunFolder

/// Options every command that reads a run shares.
struct RunOptions: ParsableArguments {
    @Option(name: .customLong("run"), help: ArgumentHelp("The run directory (default: vaegan-run).", valueName: "dir"))
    var runFlag: String?

    /// The run directory: --run, or vaegan-run.
    var run: String { runFlag ?? "vaegan-run" }

    /// No --run was given and vaegan-run holds no run: the commands that can draw without a run
    /// (serve, export style-transfer, evaluate) use the shipped article model instead.
    var usesArticleModel: Bool { runFlag == nil && !RunDirectory(run).holdsRun }

    @OptionGroup var work: WorkOptions

    var threadsOption: Int? { work.threadsOption }
    var threads: Int { work.threads }
    var quiet: Bool { work.quiet }

    func validate() throws {
        guard runFlag != "" else { throw ValidationError("--run must name a directory") }
    }
}

/// A command that reads a run (and so computes with the engine's kernels).
protocol RunCommand { var runOptions: RunOptions { get } }

extension Evaluate: RunCommand {}
extension Export.StyleTransfer: RunCommand {}
extension Export.Reconstructions: RunCommand {}
extension Export.ManifoldPNG: RunCommand {}
extension Export.ZScatter: RunCommand {}
extension Export.Losses: RunCommand {}
extension Export.MetricsPlot: RunCommand {}
extension Render: RunCommand {}
extension ReportCommand: RunCommand {}
extension Serve: RunCommand {}
extension TrainAndRecord: RunCommand {}

/// Threads and verbosity, for every command that computes.
struct WorkOptions: ParsableArguments {
    @Option(
        name: .customLong("threads"),
        help: ArgumentHelp(
            "Threads for the numeric kernels and encoders (default: every core).", valueName: "n"))
    var threadsOption: Int?

    /// --threads, or every core.
    var threads: Int { threadsOption ?? ProcessInfo.processInfo.activeProcessorCount }

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let n = threadsOption { try checkRange(n, RunLimits.threads, "--threads") }
    }
}

/// A flag's number within `range`, or the one line that says it is not.
func checkRange(_ value: Int, _ range: ClosedRange<Int>, _ flag: String, why: String = "") throws {
    guard range.contains(value) else {
        throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound)\(why), got \(value)")
    }
}

/// Where the dataset is: --data DIR, or where set-up put it.
struct DataOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Folder with the four IDX files (plain or .gz), or for train-and-record your own images: a Keras .npz, "
                + "a folder of .npy files (one per class), or a folder per class of PNG files (optionally under "
                + "train/ and test/). Default: where set-up put MNIST.", valueName: "path"))
    var data: String?

    func directory(for kind: DatasetKind) -> String { data ?? kind.defaultDirectory }
}

/// `--checkpoint ITERATION`: draw or measure with the weights a run kept at one of its
/// checkpoints (`train-and-record --keep-checkpoints`) instead of its latest.
struct CheckpointOption: ParsableArguments {
    @Option(
        name: .customLong("checkpoint"), parsing: .unconditional,
        help: ArgumentHelp(
            "Use the weights the run kept at this iteration (train-and-record --keep-checkpoints; "
                + "checkpoints/iteration-NNNNNN.safetensors) instead of its latest checkpoint.",
            valueName: "iteration"))
    var iteration: Int?

    func validate() throws {
        if let n = iteration, n < 0 { throw ValidationError("--checkpoint must be an iteration (0 or more), got \(n)") }
    }

    /// --checkpoint names a run's checkpoint: refused where the command reads no run.
    func check(_ runOptions: RunOptions) throws {
        if iteration != nil && runOptions.usesArticleModel {
            throw ValidationError("--checkpoint names a kept checkpoint of a run, and \(runOptions.run) holds no run")
        }
    }
}
