import Foundation

/// A sweep folder and the plan it holds: a new sweep written, an old one continued, replaced or
/// refused by the settings the command asks for.
public struct SweepFolder: Sendable {
    /// The folder, as an absolute path.
    public let path: String

    public init(_ path: String) { self.path = path }

    /// The plan the folder holds, for `--status` and `--point`, which read the sweep's own settings.
    public func plan() throws -> SweepPlan {
        guard let plan = try SweepPlan.read(from: path) else {
            throw SweepError.plan("\(path) holds no sweep (no \(SweepPlan.fileName))")
        }
        return plan
    }

    /// Whether any point of the sweep has a run folder.
    public var startedAnyPoint: Bool {
        let runs = (path as NSString).appendingPathComponent(SweepPlan.runsFolder)
        return !((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).isEmpty
    }

    /// What `open(asking:)` does with a sweep folder.
    public enum Choice: Equatable, Sendable {
        /// No sweep yet: the one asked for is written.
        case create
        /// The sweep the folder holds goes on (no settings asked for, or the same ones).
        case keep
        /// A sweep that never started a point (a typo corrected, say) gives way to the one asked for.
        case replace
    }

    /// What to do with a folder holding `existing` (nil: none) when `asked` is asked for (nil: no
    /// grid flags), `started` whether a point of it has a run folder. A sweep that started a point
    /// keeps its settings: other ones are refused, as is a folder without a sweep or settings.
    public func choose(existing: SweepPlan?, asked: SweepPlan?, started: Bool) throws -> Choice {
        switch (existing, asked) {
        case (let old?, let asked?) where !old.hasSettings(of: asked):
            guard !started else {
                throw SweepError.plan(
                    "\(path) holds a sweep of other settings (its sweep.json); continue it without grid flags, or choose another folder"
                )
            }
            return .replace
        case (_?, _): return .keep
        case (nil, _?): return .create
        case (nil, nil):
            throw SweepError.plan("\(path) holds no sweep yet: give the settings to vary, e.g. --seeds 0,1,2")
        }
    }

    /// The sweep to run: the folder's own, or `asked` written there (see `choose`).
    public func open(asking asked: SweepPlan?) throws -> SweepPlan {
        let existing = try SweepPlan.read(from: path)
        let choice = try choose(existing: existing, asked: asked, started: existing != nil && startedAnyPoint)
        if choice == .replace, let asked { try asked.write(to: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if choice == .create, let asked { try asked.write(to: path) }
        return choice == .keep ? existing! : asked!
    }

    /// Throws, naming each, when a point of `plan` is not done (left to another process, say, or
    /// trained but not evaluated).
    public func checkDone(_ plan: SweepPlan) throws {
        let left = plan.points.compactMap { point -> String? in
            let state = try? PointState.of(run: SweepPlan.runPath(point, in: path))
            guard let state else { return "\(point.name) (cannot be read)" }
            guard state.stage != .done else { return nil }
            return "\(point.name) (\(state.text)\(state.stage == .running ? " in another process" : ""))"
        }
        guard left.isEmpty else {
            throw SweepError.plan(
                "sweep: \(left.count) of \(plan.points.count) runs not done: \(left.joined(separator: ", ")); run the same command again once \(left.count == 1 ? "it ends" : "they end")"
            )
        }
    }

    /// Submit `plan` as a Slurm job array (`Slurm.script`, `Slurm.submit`), its tasks running
    /// `executable` with `threads` CPUs each where given, and note the job in sweep.json. The job's id.
    public func submit(_ plan: SweepPlan, executable: String, threads: Int?, options: [String]) throws -> String {
        let script = Slurm.script(sweep: path, executable: executable, points: plan.points.count, threads: threads)
        var plan = plan
        plan.slurmJob = try Slurm.submit(sweep: path, script: script, options: options)
        try plan.write(to: path)
        return plan.slurmJob ?? ""
    }

    /// `--status`: a line per point (where it stands, and what Slurm says of its task: `tasks` by
    /// index, by default Slurm's own answer), then the count of each stage, each line to `say` as it
    /// is read.
    public func status(_ plan: SweepPlan, tasks: [Int: String]? = nil, say: (String) -> Void) throws {
        let tasks = tasks ?? plan.slurmJob.map(Slurm.taskStates) ?? [:]
        var counts: [PointState.Stage: Int] = [:]
        for (i, point) in plan.points.enumerated() {
            let state = try PointState.of(run: SweepPlan.runPath(point, in: path))
            counts[state.stage, default: 0] += 1
            let task = plan.slurmJob.map { job in "  [slurm \(job)_\(i): \(tasks[i] ?? "not listed")]" } ?? ""
            say("\(i)  \(point.name)  \(state.text)\(task)")
        }
        say(
            "sweep: "
                + PointState.Stage.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
    }
}

extension SweepPlan {
    /// Whether `other` asks for the same sweep: the same axes, common and evaluate arguments.
    public func hasSettings(of other: SweepPlan) -> Bool {
        axes == other.axes && common == other.common && evaluate == other.evaluate
    }
}
