import ArgumentParser
import Console
import Foundation
import RunFolder
import Sweep

extension SweepBackend: ExpressibleByArgument {}

/// A count shared by the threads that wait for a sweep's points.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    /// Add one; the new count.
    func add() -> Int {
        lock.withLock {
            count += 1; return count
        }
    }
}

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
        let lists: [(String, String?)] = [
            ("model", models), ("variant", variants), ("preset", presets), ("precision", precisions),
            ("latent-dim", latentDims),
            ("seed", seeds)
        ]
        var common: [String] = []
        if let iterations { common += ["--iterations", "\(iterations)"] }
        if let snapshotEvery { common += ["--snapshot-every", "\(snapshotEvery)"] }
        if let batchSize { common += ["--batch-size", "\(batchSize)"] }
        if let data { common += ["--data", absolute(data)] }
        if let threads { common += ["--threads", "\(threads)"] }
        var evaluate: [String] = []
        if let evalSamples { evaluate += ["--samples", "\(evalSamples)"] }
        if let evalTestDigits { evaluate += ["--test-digits", "\(evalTestDigits)"] }
        let axes = try lists.compactMap { flag, list -> SweepPlan.Axis? in
            guard let list else { return nil }
            let values =
                list.isEmpty ? [] : list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if values.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                throw ValidationError("--\(flag)s has an empty item in '\(list)'")
            }
            return SweepPlan.Axis(flag: flag, values: values)
        }
        if axes.isEmpty && common.isEmpty && evaluate.isEmpty { return nil }
        do { return try SweepPlan(axes: axes, common: common, evaluate: evaluate) } catch let e as SweepError {
            throw ValidationError("\(e)")
        }
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
                var message = TrainAndRecord.message(for: error)
                for flag in SweepPlan.axisFlags {
                    message = message.replacingOccurrences(
                        of: "--\(flag)(?![A-Za-z-])", with: "--\(flag)s", options: .regularExpression)
                }
                throw ValidationError("sweep point \(point.name): \(message)")
            }
        }
    }

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    func run() throws {
        let sweep = absolute(folder)
        let existing = try SweepPlan.read(from: sweep)
        if status { return try printStatus(sweep, try existing ?? noSweep(sweep)) }
        if let point {
            let plan = try existing ?? noSweep(sweep)
            guard plan.points.indices.contains(point) else {
                throw ValidationError("--point \(point) is outside the sweep's 0-\(plan.points.count - 1)")
            }
            return try runPoints(sweep, plan, [plan.points[point]])
        }
        var plan: SweepPlan
        switch (existing, try askedPlan()) {
        case (let old?, let asked?)
        where (old.axes != asked.axes || old.common != asked.common || old.evaluate != asked.evaluate)
            && !Self.startedAnyPoint(sweep):
            // A sweep that never started a point (a typo corrected, say) is replaced.
            plan = asked
            try plan.write(to: sweep)
        case (let old?, let asked?)
        where old.axes != asked.axes || old.common != asked.common || old.evaluate != asked.evaluate:
            throw ValidationError(
                "\(sweep) holds a sweep of other settings (its sweep.json); continue it without grid flags, or choose another folder"
            )
        case (let old?, _): plan = old
        case (nil, let asked?): plan = asked
        case (nil, nil):
            throw ValidationError("\(sweep) holds no sweep yet: give the settings to vary, e.g. --seeds 0,1,2")
        }
        try FileManager.default.createDirectory(atPath: sweep, withIntermediateDirectories: true)
        if existing == nil { try plan.write(to: sweep) }
        if on == .slurm {
            let script = Slurm.script(
                sweep: sweep, executable: Self.executable, points: plan.points.count, threads: threads)
            let job = try Slurm.submit(sweep: sweep, script: script, options: sbatch)
            plan.slurmJob = job
            try plan.write(to: sweep)
            Terminal.info(
                "sweep: submitted job \(job), \(plan.points.count) tasks; follow it with: vaegan-render sweep \(folder) --status",
                quiet: quiet)
            return
        }
        try runPoints(sweep, plan, plan.points)
        // A point left to another process (or trained but not evaluated) is not done: say which.
        let left = plan.points.compactMap { point -> String? in
            let state = try? PointState.of(run: SweepPlan.runPath(point, in: sweep))
            guard let state else { return "\(point.name) (cannot be read)" }
            guard state.stage != .done else { return nil }
            return "\(point.name) (\(state.text)\(state.stage == .running ? " in another process" : ""))"
        }
        guard left.isEmpty else {
            throw SweepError.plan(
                "sweep: \(left.count) of \(plan.points.count) runs not done: \(left.joined(separator: ", ")); run the same command again once \(left.count == 1 ? "it ends" : "they end")"
            )
        }
        Terminal.info(
            "sweep: all \(plan.points.count) runs done; compare them with: vaegan-render compare \(folder)",
            quiet: quiet)
    }

    /// Whether any point of the sweep in `sweep` has a run folder.
    static func startedAnyPoint(_ sweep: String) -> Bool {
        let runs = (sweep as NSString).appendingPathComponent(SweepPlan.runsFolder)
        return !((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).isEmpty
    }

    func noSweep(_ sweep: String) throws -> SweepPlan {
        throw ValidationError("\(sweep) holds no sweep (no \(SweepPlan.fileName))")
    }

    /// This program's own file, for the runs it starts and the Slurm script.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Train and evaluate `points`, `--jobs` at once, saying how far the sweep is. Ctrl-C or
    /// SIGTERM (a cancelled Slurm task) reach each run's own process (the sweep passes SIGTERM on),
    /// which writes its checkpoint and stops; the sweep then stops too, with status 130. Killed
    /// outright, the sweep takes its points with it: each watches its parent.
    func runPoints(_ sweep: String, _ plan: SweepPlan, _ points: [SweepPlan.Point]) throws {
        StopSignal.install()
        do { try runPointsUntilStopped(sweep, plan, points) } catch let stop as SweepRunner.Interrupted {
            Terminal.info(stop.description, quiet: false)
            throw ExitCode(130)
        }
    }

    func runPointsUntilStopped(_ sweep: String, _ plan: SweepPlan, _ points: [SweepPlan.Point]) throws {
        let share = SweepRunner.share(
            cores: ProcessInfo.processInfo.activeProcessorCount, points: points.count, jobs: point == nil ? jobs : 1,
            threads: threads)
        let runner = SweepRunner(sweep: sweep, plan: plan, executable: Self.executable, threadsPerRun: share.threads)
        let atOnce = min(share.jobs, points.count)
        if atOnce > 1 {
            let t = share.threads
            Terminal.info("sweep: \(atOnce) points at once, \(t) thread\(t == 1 ? "" : "s") each", quiet: quiet)
        }
        let started = Date(), quiet = quiet
        let index = Dictionary(uniqueKeysWithValues: points.enumerated().map { ($1.name, $0 + 1) })
        let finishedHere = Counter()
        try runner.run(
            points: points, jobs: share.jobs, shouldStop: { StopSignal.requested != 0 },
            log: { point, step in
                Terminal.info("sweep: [\(index[point.name]!)/\(points.count)] \(step)", quiet: quiet)
            },
            finished: { point, outcome in
                if outcome == .runningElsewhere {
                    Terminal.info(
                        "sweep: \(point.name) is being trained by another process; left to it", quiet: quiet)
                }
                let here = outcome == .finished ? finishedHere.add() : finishedHere.value
                let stages = plan.points.map { try? PointState.of(run: SweepPlan.runPath($0, in: sweep)).stage }
                let done = stages.filter { $0 == .done }.count, running = stages.filter { $0 == .running }.count
                let left = plan.points.count - done - running
                let eta =
                    here > 0 && left > 0
                    ? ", ETA \(durationText(Date().timeIntervalSince(started) / Double(here) * Double(left) / Double(share.jobs)))"
                    : ""
                Terminal.info("sweep: \(done) done, \(running) running, \(left) left\(eta)", quiet: quiet)
            })
    }

    func printStatus(_ sweep: String, _ plan: SweepPlan) throws {
        let tasks = plan.slurmJob.map(Slurm.taskStates) ?? [:]
        var counts: [PointState.Stage: Int] = [:]
        for (i, point) in plan.points.enumerated() {
            let state = try PointState.of(run: SweepPlan.runPath(point, in: sweep))
            counts[state.stage, default: 0] += 1
            let task = plan.slurmJob.map { job in "  [slurm \(job)_\(i): \(tasks[i] ?? "not listed")]" } ?? ""
            print("\(i)  \(point.name)  \(state.text)\(task)")
        }
        print(
            "sweep: "
                + PointState.Stage.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }
                .joined(separator: ", "))
    }
}
