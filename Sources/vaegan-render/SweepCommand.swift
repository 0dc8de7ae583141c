import ArgumentParser
import Console
import RunFolder
import Sweep

extension SweepBackend: ExpressibleByArgument {}

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train a grid of runs (seeds, variants, ...) into one folder, here or as a Slurm job array.",
        discussion: """
            Each point of the grid is a run folder under DIR/runs, trained with train-and-record and then evaluated; \
            DIR/sweep.json lists the points. Run the same command again after a stop: finished runs are kept, stopped ones \
            resume, nothing runs twice. --on slurm submits one task per point with sbatch (DIR and this program must be \
            on a file system every node sees); a cancelled or requeued task resumes its run. Then: vaegan-render compare DIR.

              vaegan-render sweep sweeps/seeds --seeds 0,1,2 --variants figures,published
              vaegan-render sweep sweeps/seeds --on slurm --sbatch=--partition=cpu --sbatch=--time=01:00:00
              vaegan-render sweep sweeps/seeds --status
            """)

    @Argument(help: ArgumentHelp("The sweep folder.", valueName: "dir")) var folder: String

    @Option(help: ArgumentHelp("Seeds, comma-separated.", valueName: "list")) var seeds: String?
    @Option(help: ArgumentHelp("Models (cvae-gan, cvae), comma-separated.", valueName: "list")) var models: String?
    @Option(help: ArgumentHelp("Loss variants, comma-separated.", valueName: "list")) var variants: String?
    @Option(help: ArgumentHelp("Presets, comma-separated.", valueName: "list")) var presets: String?
    @Option(help: ArgumentHelp("Precisions (fp32, bf16), comma-separated.", valueName: "list")) var precisions: String?
    @Option(name: .customLong("latent-dims"), help: ArgumentHelp("Latent sizes, comma-separated.", valueName: "list"))
    var latentDims: String?

    @Option(help: "Outer iterations of every run (default: each preset's).") var iterations: Int?
    @Option(name: .customLong("snapshot-every"), help: "Iterations per snapshot period (default: each preset's).")
    var snapshotEvery: Int?
    @Option(name: .customLong("batch-size"), help: "Batch size of every run.") var batchSize: Int?
    @Option(help: ArgumentHelp("MNIST folder for every run (default: where set-up put it).", valueName: "dir"))
    var data: String?
    @Option(help: ArgumentHelp("Threads of each run (default: every core).", valueName: "n")) var threads: Int?
    @Option(name: .customLong("eval-samples"), help: "evaluate's --samples for every run.") var evalSamples: Int?
    @Option(name: .customLong("eval-test-digits"), help: "evaluate's --test-digits for every run.")
    var evalTestDigits: Int?

    @Option(help: ArgumentHelp("Where the runs train: local (this machine) or slurm.", valueName: "where"))
    var on: SweepBackend = .local
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Points to train at once with --on local, the cores shared among them (default: a point per core, "
                + "or as many as --threads allows). A run's bytes depend on its thread count: give --threads for "
                + "runs that do not depend on the machine or the number of points.", valueName: "n"))
    var jobs: Int?
    @Option(
        parsing: .unconditionalSingleValue,
        help: ArgumentHelp(
            "An sbatch option for --on slurm (repeat it), e.g. --sbatch=--partition=cpu.", valueName: "opt"))
    var sbatch: [String] = []
    @Flag(help: "Say where each run stands (and what Slurm says of its task), then exit.") var status = false
    @Option(help: ArgumentHelp("Run one point by its index (what each Slurm task runs).", valueName: "n")) var point:
        Int?
    @Flag(help: "Print nothing but errors.") var quiet = false

    /// The grid the flags ask for (nil when they name no setting of a sweep).
    func askedPlan() throws -> SweepPlan? {
        try SweepRequest(
            lists: [
                .model: models, .variant: variants, .preset: presets, .precision: precisions, .latentDim: latentDims,
                .seed: seeds
            ].compactMapValues { $0 }, iterations: iterations, snapshotEvery: snapshotEvery, batchSize: batchSize,
            data: data.map(SweepFolder.absolute), threads: threads, evalSamples: evalSamples,
            evalTestDigits: evalTestDigits
        ).plan()
    }

    func validate() throws {
        if !sbatch.isEmpty && on != .slurm { throw ValidationError("--sbatch is for --on slurm") }
        if let jobs {
            guard on == .local else { throw ValidationError("--jobs is for --on local (Slurm places the tasks)") }
            try checkRange(jobs, 1...256, "--jobs")
        }
        if let threads { try checkRange(threads, RunLimits.threads, "--threads") }
        if status || point != nil, try askedPlan() != nil {
            throw ValidationError("--status and --point read the sweep's own settings; give no grid flags with them")
        }
        if let plan = try askedPlan() { try Self.checkPoints(plan) }
    }

    /// Every point's `train-and-record` arguments, parsed and checked as that command checks
    /// them, before anything is written or submitted: an error names the sweep's own flag.
    static func checkPoints(_ plan: SweepPlan) throws {
        for point in plan.points {
            let arguments = Array(plan.trainArguments(point, run: "sweep-point").dropFirst())
            do {
                try TrainAndRecord.parse(arguments).validate()
            } catch {
                let message = SweepSetting.namedAsSweepFlags(TrainAndRecord.message(for: error))
                throw ValidationError("sweep point \(point.name): \(message)")
            }
        }
    }

    func run() throws {
        let sweep = SweepFolder(given: folder), quiet = quiet
        if status { return try sweep.status(try sweep.plan()) { print($0) } }
        let work: SweepWork = point.map { .point($0) } ?? (on == .slurm ? .slurm(options: sbatch) : .here(jobs: jobs))
        let outcome: SweepWork.Outcome
        do {
            outcome = try sweep.work(
                work, asking: try point == nil ? askedPlan() : nil, executable: SweepRunner.thisExecutable,
                threads: threads
            ) { Terminal.info($0, quiet: quiet) }
        } catch let stop as SweepRunner.Interrupted {
            Terminal.info(stop.description, quiet: false)
            throw ExitCode(130)
        }
        switch outcome {
        case .submitted(let job, let tasks):
            Terminal.info(
                "sweep: submitted job \(job), \(tasks) tasks; follow it with: vaegan-render sweep \(folder) --status",
                quiet: quiet)
        case .pointDone: break
        case .allDone(let runs):
            Terminal.info(
                "sweep: all \(runs) runs done; compare them with: vaegan-render compare \(folder)", quiet: quiet)
        }
    }
}
