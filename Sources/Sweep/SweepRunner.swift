import Console
import Foundation

/// Runs a sweep's points with this program's own commands, each in a process of its own:
/// `train-and-record` (a new run, or `--resume` of one that stopped), then `evaluate`. A point
/// already done is skipped and one that another process trains is left to it, so that the same
/// sweep can be started again after a stop and nothing runs twice.
public struct SweepRunner: Sendable {
    public let sweep: String
    public let plan: SweepPlan
    /// This program, as the commands are run.
    public let executable: String
    /// `--threads` for each point's evaluation, and for its new run where the plan names none (a
    /// share of the cores when several points run at once); nil leaves each command its own
    /// default. A resumed run keeps the threads it started with.
    public let threadsPerRun: Int?

    public init(sweep: String, plan: SweepPlan, executable: String, threadsPerRun: Int? = nil) {
        self.sweep = sweep; self.plan = plan; self.executable = executable; self.threadsPerRun = threadsPerRun
    }

    /// How many of `points` points to run at once, and the threads of each, on `cores` cores. A
    /// run makes the most of a core on one thread (2 threads run it 1.6 times as fast, not 2;
    /// BENCHMARKS.md, "Sweeps"), so by default every core runs a point of its own, and the cores
    /// left over when there are fewer points than cores are shared among them. `jobs` given, the
    /// cores are shared among that many; `threads` given, as many run as the cores hold.
    public static func share(cores: Int, points: Int, jobs: Int?, threads: Int?) -> (jobs: Int, threads: Int) {
        let cores = max(1, cores)
        switch (jobs, threads) {
        case (let j?, let t?): return (j, t)
        case (let j?, nil): return (j, max(1, cores / j))
        case (nil, let t?): return (max(1, cores / t), t)
        case (nil, nil):
            let j = max(1, min(points, cores))
            return (j, max(1, cores / j))
        }
    }

    /// Bring `points` to done, `jobs` at a time, each waited for on a thread of its own.
    /// `log` hears each step with its point; `finished` each point's outcome. After the first
    /// failure (or a stop) no further point starts; those running are waited for (on a stop, sent
    /// SIGTERM, so that each stops at its next iteration with a checkpoint), then the first failure
    /// is thrown, or `Interrupted` naming the points that were running.
    public func run(
        points: [SweepPlan.Point], jobs: Int, shouldStop: @escaping @Sendable () -> Bool,
        log: @escaping @Sendable (SweepPlan.Point, String) -> Void,
        finished: @escaping @Sendable (SweepPlan.Point, Outcome) -> Void
    ) throws {
        let queue = WorkQueue(count: points.count)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(jobs, points.count)) {
            group.enter()
            Thread {
                defer { group.leave() }
                while let k = queue.next() {
                    let point = points[k]
                    if shouldStop() { return queue.stop() }
                    do {
                        finished(point, try run(point: point, shouldStop: shouldStop) { log(point, $0) })
                    } catch is Interrupted {
                        queue.interrupted(k)
                    } catch { queue.fail(error) }
                }
            }.start()
        }
        group.wait()
        if let error = queue.failure { throw error }
        if queue.stopped { throw Interrupted(points: queue.interruptedPoints.map { points[$0].name }) }
    }

    /// The points' indices handed out one at a time, and the first failure or stop, which ends the
    /// handing.
    final class WorkQueue: @unchecked Sendable {
        private let lock = NSLock()
        private var nextIndex = 0
        private let count: Int
        private(set) var failure: Error?
        private var stoppedFlag = false
        private var interruptedIndices: [Int] = []

        init(count: Int) { self.count = count }

        func next() -> Int? {
            lock.withLock {
                guard failure == nil, !stoppedFlag, nextIndex < count else { return nil }
                defer { nextIndex += 1 }
                return nextIndex
            }
        }

        func fail(_ error: Error) { lock.withLock { if failure == nil { failure = error } } }
        func stop() { lock.withLock { stoppedFlag = true } }
        /// Point `k` stopped part-way (its process wrote a checkpoint): no further point starts.
        func interrupted(_ k: Int) {
            lock.withLock {
                stoppedFlag = true
                interruptedIndices.append(k)
            }
        }
        var stopped: Bool { lock.withLock { stoppedFlag } }
        var interruptedPoints: [Int] { lock.withLock { interruptedIndices.sorted() } }
    }

    /// What `run(point:)` did.
    public enum Outcome: Equatable, Sendable { case alreadyDone, runningElsewhere, finished }

    /// Bring one point to done: train (or resume) it, then evaluate it. `log` hears each step;
    /// once `shouldStop` says so, the point's process is sent SIGTERM.
    public func run(point: SweepPlan.Point, shouldStop: () -> Bool = { false }, log: (String) -> Void) throws
        -> Outcome
    {
        let path = SweepPlan.runPath(point, in: sweep)
        var state = try PointState.of(run: path)
        switch state {
        case .done: return .alreadyDone
        case .running: return .runningElsewhere
        case .notStarted:
            log("\(point.name): training")
            let own = plan.common.contains("--threads") ? [] : threads
            try command(plan.trainArguments(point, run: path) + own, point: point, shouldStop: shouldStop)
        case .stopped(let i, let n):
            log("\(point.name): resuming at iteration \(i) of \(n)")
            try command(
                ["train-and-record", "--run", path, "--resume", "--quiet"], point: point, shouldStop: shouldStop)
        case .trained: break
        }
        state = try PointState.of(run: path)
        guard case .trained = state else {
            throw SweepError.run(point.name, "train-and-record ended but the run is \(state.text)")
        }
        log("\(point.name): evaluating")
        try command(
            ["evaluate", "--run", path, "--quiet"] + plan.evaluate + threads, point: point, shouldStop: shouldStop)
        return .finished
    }

    var threads: [String] { threadsPerRun.map { ["--threads", "\($0)"] } ?? [] }

    /// Stopped by Ctrl-C or a signal: the running points' own processes have written their
    /// checkpoints.
    public struct Interrupted: Error, CustomStringConvertible {
        /// The points that were running, in the sweep's order (none when it stopped between points).
        public let points: [String]
        public init(points: [String]) { self.points = points }
        public var description: String {
            "sweep: stopped " + (points.isEmpty ? "before its next point" : "during " + points.joined(separator: ", "))
                + "; run the same command again to go on"
        }
    }

    /// The environment variable that names the sweep's process to each point's: the point stops
    /// (as on SIGTERM) when the sweep ends, however it ends (`StopSignal.watchParent`).
    public static let parentVariable = "VAEGAN_SWEEP_PID"

    /// Run this program with `arguments`, its errors the terminal's (its output is in the run
    /// folder: evaluate's table is evaluation.json); a failure is one line. Once `shouldStop`
    /// says so, the process is sent SIGTERM (once), which a training run answers by writing its
    /// checkpoint and stopping at its next iteration.
    func command(_ arguments: [String], point: SweepPlan.Point, shouldStop: () -> Bool = { false }) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.environment = ProcessInfo.processInfo.environment.merging([Self.parentVariable: "\(getpid())"]) {
            $1
        }
        do { try process.run() } catch {
            throw SweepError.run(point.name, "cannot start \(executable): \(error.localizedDescription)")
        }
        var forwarded = false
        while process.isRunning {
            if !forwarded && shouldStop() {
                process.terminate()
                forwarded = true
            }
            usleep(50_000)
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal || process.terminationStatus == 130 {
            throw Interrupted(points: [point.name])
        }
        guard process.terminationStatus == 0 else {
            throw SweepError.run(
                point.name, "\(arguments[0]) exited with status \(process.terminationStatus) (its message is above)")
        }
    }
}

extension SweepRunner {
    /// Run `points` of `plan` here as `sweep DIR` does: as many at once as `share` says for
    /// `cores` and the `jobs` and `threads` asked for, each step, each point left to another
    /// process and the progress line after each point told to `say`. Throws as `run` does.
    public static func runHere(
        sweep: String, plan: SweepPlan, points: [SweepPlan.Point], executable: String, cores: Int, jobs: Int?,
        threads: Int?, shouldStop: @escaping @Sendable () -> Bool, say: @escaping @Sendable (String) -> Void
    ) throws {
        let share = share(cores: cores, points: points.count, jobs: jobs, threads: threads)
        let runner = SweepRunner(sweep: sweep, plan: plan, executable: executable, threadsPerRun: share.threads)
        let atOnce = min(share.jobs, points.count)
        if atOnce > 1 {
            let t = share.threads
            say("sweep: \(atOnce) points at once, \(t) thread\(t == 1 ? "" : "s") each")
        }
        let progress = SweepProgress(sweep: sweep, plan: plan, jobs: share.jobs)
        let index = Dictionary(uniqueKeysWithValues: points.enumerated().map { ($1.name, $0 + 1) })
        try runner.run(
            points: points, jobs: share.jobs, shouldStop: shouldStop,
            log: { point, step in say("sweep: [\(index[point.name] ?? 0)/\(points.count)] \(step)") },
            finished: { point, outcome in
                if outcome == .runningElsewhere {
                    say("sweep: \(point.name) is being trained by another process; left to it")
                }
                say(progress.line(after: outcome))
            })
    }
}

/// How far a sweep run here is, after each of its points: the sweep's points done, running and
/// left (read from their run folders), and an estimate of the time left from the points this
/// process finished. Shared by the threads that wait for the points.
public final class SweepProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var finishedHere = 0
    let sweep: String
    let plan: SweepPlan
    /// Points at once: the time a point takes is shared among them.
    let jobs: Int
    let started: Date

    public init(sweep: String, plan: SweepPlan, jobs: Int, started: Date = Date()) {
        self.sweep = sweep; self.plan = plan; self.jobs = jobs; self.started = started
    }

    /// The line after a point ended with `outcome` (counted when it finished here).
    public func line(after outcome: SweepRunner.Outcome, now: Date = Date()) -> String {
        let here = lock.withLock {
            if outcome == .finished { finishedHere += 1 }
            return finishedHere
        }
        let stages = plan.points.map { try? PointState.of(run: SweepPlan.runPath($0, in: sweep)).stage }
        return Self.line(stages: stages, finishedHere: here, elapsed: now.timeIntervalSince(started), jobs: jobs)
    }

    /// "sweep: 2 done, 1 running, 1 left, ETA 3m 10s" for the points' `stages` (nil: unreadable,
    /// counted as left), `finishedHere` points of them finished in `elapsed` seconds, `jobs` at once.
    /// No ETA before a point finished here, or with none left.
    public static func line(stages: [PointState.Stage?], finishedHere: Int, elapsed: Double, jobs: Int) -> String {
        let done = stages.filter { $0 == .done }.count, running = stages.filter { $0 == .running }.count
        let left = stages.count - done - running
        let eta =
            finishedHere > 0 && left > 0
            ? ", ETA \(durationText(elapsed / Double(finishedHere) * Double(left) / Double(jobs)))" : ""
        return "sweep: \(done) done, \(running) running, \(left) left\(eta)"
    }
}
