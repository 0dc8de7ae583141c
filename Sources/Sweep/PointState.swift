import Evaluation
import Foundation
import RunFolder
import RunModel

/// Where one run of a sweep stands, read from its run folder alone (so that `sweep --status`, a
/// local sweep and a Slurm task all see the same thing).
public enum PointState: Equatable, Sendable {
    /// No config.json yet (a task killed during its start-up leaves at most a lock file).
    case notStarted
    /// A process is training it now.
    case running(iteration: Int, total: Int)
    /// Stopped short of its iterations (Ctrl-C, a cancelled or preempted task): resume it.
    case stopped(iteration: Int, total: Int)
    /// Trained to the end, not yet evaluated.
    case trained(total: Int)
    /// Trained and evaluated at its last iteration.
    case done(total: Int)

    public static func of(run path: String) throws -> PointState {
        let dir = RunDirectory(path)
        guard dir.holdsRun else { return .notStarted }
        let total = try RunConfig.read(from: path).iterations
        if let progress = TrainingProgress.read(dir), progress.isLive {
            return .running(iteration: progress.iteration, total: total)
        }
        guard FileManager.default.fileExists(atPath: dir.checkpointPath) else {
            return .stopped(iteration: 0, total: total)
        }
        let iteration = try CheckpointFile.read(path: dir.checkpointPath).iteration()
        guard iteration >= total else { return .stopped(iteration: iteration, total: total) }
        return EvaluationRecord.read(dir)?.iteration == iteration ? .done(total: total) : .trained(total: total)
    }

    /// Where a point stands without its numbers: what a sweep counts, in the order of its table.
    public enum Stage: String, CaseIterable, Sendable { case done, running, trained, stopped, left }

    public var stage: Stage {
        switch self {
        case .notStarted: return .left
        case .running: return .running
        case .stopped: return .stopped
        case .trained: return .trained
        case .done: return .done
        }
    }

    /// "running, iteration 120 of 200" and the like.
    public var text: String {
        switch self {
        case .notStarted: return "not started"
        case .running(let i, let n): return "running, iteration \(i) of \(n)"
        case .stopped(let i, let n): return "stopped at iteration \(i) of \(n)"
        case .trained(let n): return "trained (\(n) iterations), not evaluated"
        case .done(let n): return "done (\(n) iterations, evaluated)"
        }
    }
}
