import ArgumentParser
import Foundation
import MNIST

/// Options every command that reads a run shares.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The run directory.", valueName: "dir"))
    var run: String = "vaegan-run"

    @OptionGroup var work: WorkOptions

    var threadsOption: Int? { work.threadsOption }
    var threads: Int { work.threads }
    var quiet: Bool { work.quiet }

    func validate() throws {
        guard !run.isEmpty else { throw ValidationError("--run must name a directory") }
    }
}

/// Threads and verbosity, for every command that computes.
struct WorkOptions: ParsableArguments {
    @Option(name: .customLong("threads"), help: ArgumentHelp(
        "Threads for the numeric kernels and encoders (default: every core).", valueName: "n"))
    var threadsOption: Int?

    /// --threads, or every core.
    var threads: Int { threadsOption ?? ProcessInfo.processInfo.activeProcessorCount }

    @Flag(name: .long, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if let n = threadsOption, !(1...256).contains(n) { throw ValidationError("--threads must be between 1 and 256, got \(n)") }
    }
}

/// Where the dataset is: --data DIR, or where set-up put it.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder with the four IDX files (plain or .gz). Default: where set-up put them.", valueName: "dir"))
    var data: String?

    func directory(for kind: DatasetKind) -> String { data ?? kind.defaultDirectory }
}
