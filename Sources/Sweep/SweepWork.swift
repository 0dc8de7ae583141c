import Console
import Foundation

/// What `sweep DIR` is asked to do with its folder's plan: train every point here, submit them
/// as a Slurm job array, or train one point (what each Slurm task runs).
public enum SweepWork: Equatable, Sendable {
    /// Every point here, `jobs` at once (nil: as `SweepRunner.share` says).
    case here(jobs: Int?)
    /// Every point as a task of a Slurm job array, with these sbatch options.
    case slurm(options: [String])
    /// The point of this index alone.
    case point(Int)

    /// How a sweep's work ended.
    public enum Outcome: Equatable, Sendable {
        /// The job array was submitted: its job id and task count.
        case submitted(job: String, tasks: Int)
        /// The one point asked for is done (or left to another process).
        case pointDone
        /// Every point of the sweep is done: the count of runs.
        case allDone(runs: Int)
    }
}

extension SweepFolder {
    /// A folder given on the command line, made absolute (the runs and Slurm's tasks start
    /// elsewhere).
    public init(given path: String) { self.init(SweepFolder.absolute(path)) }

    /// `path` made absolute against the current folder.
    public static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Do `work` with the sweep the folder holds, or `asked` (`open(asking:)`; a single point
    /// reads the folder's own plan): runs of `executable` with `threads` each where given. Local
    /// work stops at Ctrl-C or SIGTERM (`SweepRunner.Interrupted`); its steps go to `say`.
    public func work(
        _ work: SweepWork, asking asked: SweepPlan?, executable: String, threads: Int?,
        say: @escaping @Sendable (String) -> Void
    ) throws -> SweepWork.Outcome {
        var single: Int?
        if case .point(let index) = work { single = index }
        let plan = try single == nil ? open(asking: asked) : self.plan()
        if case .slurm(let options) = work {
            let job = try submit(plan, executable: executable, threads: threads, options: options)
            return .submitted(job: job, tasks: plan.points.count)
        }
        // Ctrl-C or SIGTERM (a cancelled Slurm task) reach each run's own process (the sweep passes
        // SIGTERM on), which writes its checkpoint and stops; the sweep then stops too. Killed
        // outright, the sweep takes its points with it: each watches its parent.
        StopSignal.install()
        var jobs: Int? = 1
        if case .here(let asked) = work { jobs = asked }
        try SweepRunner.runHere(
            sweep: path, plan: plan, points: try single.map { [try plan.point($0)] } ?? plan.points,
            executable: executable, cores: ProcessInfo.processInfo.activeProcessorCount, jobs: jobs, threads: threads,
            shouldStop: { StopSignal.requested != 0 }, say: say)
        guard single == nil else { return .pointDone }
        try checkDone(plan)
        return .allDone(runs: plan.points.count)
    }
}

extension SweepRunner {
    /// This program's own file, for the runs it starts and the Slurm script.
    public static var thisExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

extension SweepSetting {
    /// A point's `train-and-record` message with each setting's flag named as the sweep's own
    /// (`--seed` as `--seeds`): what `sweep` says of a point its flags would make invalid.
    public static func namedAsSweepFlags(_ message: String) -> String {
        allCases.map(\.flag).reduce(message) {
            $0.replacingOccurrences(of: "--\($1)(?![A-Za-z-])", with: "--\($1)s", options: .regularExpression)
        }
    }
}
