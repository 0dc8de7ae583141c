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

    public init(sweep: String, plan: SweepPlan, executable: String) {
        self.sweep = sweep; self.plan = plan; self.executable = executable
    }

    /// What `run(point:)` did.
    public enum Outcome: Equatable, Sendable { case alreadyDone, runningElsewhere, finished }

    /// Bring one point to done: train (or resume) it, then evaluate it. `log` hears each step.
    public func run(point: SweepPlan.Point, log: (String) -> Void) throws -> Outcome {
        let path = SweepPlan.runPath(point, in: sweep)
        var state = try PointState.of(run: path)
        switch state {
        case .done: return .alreadyDone
        case .running: return .runningElsewhere
        case .notStarted:
            log("\(point.name): training")
            try command(plan.trainArguments(point, run: path), point: point)
        case .stopped(let i, let n):
            log("\(point.name): resuming at iteration \(i) of \(n)")
            try command(["train-and-record", "--run", path, "--resume", "--quiet"], point: point)
        case .trained: break
        }
        state = try PointState.of(run: path)
        guard case .trained = state else {
            throw SweepError.run(point.name, "train-and-record ended but the run is \(state.text)")
        }
        log("\(point.name): evaluating")
        try command(["evaluate", "--run", path, "--quiet"] + plan.evaluate, point: point)
        return .finished
    }

    /// Stopped by Ctrl-C or a signal: the point's own process has written its checkpoint.
    public struct Interrupted: Error, CustomStringConvertible {
        public let point: String
        public init(point: String) { self.point = point }
        public var description: String { "sweep: stopped during \(point); run the same command again to go on" }
    }

    /// Run this program with `arguments`, its errors the terminal's (its output is in the run
    /// folder: evaluate's table is evaluation.json); a failure is one line.
    func command(_ arguments: [String], point: SweepPlan.Point) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw SweepError.run(point.name, "cannot start \(executable): \(error.localizedDescription)")
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal || process.terminationStatus == 130 {
            throw Interrupted(point: point.name)
        }
        guard process.terminationStatus == 0 else {
            throw SweepError.run(
                point.name, "\(arguments[0]) exited with status \(process.terminationStatus) (its message is above)")
        }
    }
}
