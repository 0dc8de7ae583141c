/// What can go wrong with a run folder, its files, or the run in it: one case per situation,
/// carrying what the message needs. Every case's one-line message is written here and nowhere
/// else (each exits 1); callers decide by case, never by message text.
public enum RunError: Error, Equatable, CustomStringConvertible {
    /// --run names a folder that does not exist.
    case noSuchRun(folder: String)
    /// The folder exists but holds no config.json.
    case notARun(folder: String)
    /// --resume on a folder that holds no run.
    case nothingToResume(folder: String)
    /// A new run where one already is.
    case alreadyHoldsRun(folder: String)
    /// A new run in a folder with other files in it.
    case notEmpty(folder: String)
    /// Another process trains in the run (holds its lock).
    case locked(folder: String, pid: String)
    /// A file or folder of the run cannot be created, written or synced.
    case cannotWrite(path: String, reason: String)
    /// A file of the run cannot be read at all.
    case cannotRead(path: String, reason: String)
    /// A file's contents are not what the program writes there.
    case invalid(file: String, problem: String)
    /// The recording's framing is broken at a byte offset (not just a torn tail).
    case damagedRecording(file: String, offset: Int, problem: String)
    /// Something the command needs is not in the run yet.
    case missing(file: String, what: String)
    /// A snapshot period the recording does not have.
    case noSuchPeriod(file: String, period: Int, have: ClosedRange<Int>, count: Int)
    /// A setting given with --resume (`setting` is its flag) differs from the run's own.
    case settingDiffers(file: String, setting: String, run: String, requested: String)
    /// --checkpoint names an iteration whose weights the run did not keep (`kept`: those it did,
    /// in order; `latest`: its checkpoint's iteration, which may be named too).
    case noSuchCheckpoint(folder: String, iteration: Int, kept: [Int], latest: Int?)
    /// A loss or weight became NaN or infinite.
    case diverged(folder: String, iteration: Int, checkpoint: Int)
    /// --resume of a checkpoint another engine revision wrote: resuming would go on in other numbers.
    case engineRevisionDiffers(file: String, written: Int, current: Int)
    /// Training stopped on a failure (a full disk, say); the run is intact to its checkpoint.
    case stopped(folder: String, cause: String, checkpoint: Int)

    public var description: String {
        switch self {
        case .noSuchRun(let folder):
            return "\(folder): no such run directory"
        case .notARun(let folder):
            return "\(folder): holds no config.json: not a vaegan-render run directory"
        case .nothingToResume(let folder):
            return "\(folder): holds no run to resume (no config.json)"
        case .alreadyHoldsRun(let folder):
            return "\(folder): already holds a run; pass --resume to continue it, or choose another --run"
        case .notEmpty(let folder):
            return "\(folder): is not empty and holds no run; choose an empty or new folder for --run"
        case .locked(let folder, let pid):
            return "\(folder): is in use by another vaegan-render (pid \(pid)); wait for it or use another --run"
        case .cannotWrite(let path, let reason), .cannotRead(let path, let reason):
            return "\(path): \(reason)"
        case .invalid(let file, let problem):
            return "\(file): \(problem)"
        case .damagedRecording(let file, let offset, let problem):
            return "\(file): damaged at byte \(offset): \(problem)"
        case .missing(let file, let what):
            return "\(file): \(what)"
        case .noSuchPeriod(let file, let period, let have, let count):
            return
                "\(file): has no snapshot of period \(period) (it has periods \(have.lowerBound)...\(have.upperBound), \(count) in all)"
        case .settingDiffers(let file, let setting, let run, let requested):
            return
                "\(file): the run was started with \(setting) \(run); --resume cannot switch it to \(setting) \(requested)"
        case .noSuchCheckpoint(let folder, let iteration, let kept, let latest):
            let latestText = latest.map { "; its latest checkpoint is iteration \($0)" } ?? ""
            guard !kept.isEmpty else {
                return "\(folder): keeps no checkpoint of iteration \(iteration): it keeps none (train-and-record "
                    + "--keep-checkpoints K keeps the last K)\(latestText)"
            }
            return "\(folder): keeps no checkpoint of iteration \(iteration); it keeps iterations "
                + kept.map(String.init).joined(separator: ", ") + latestText
        case .diverged(let folder, let iteration, let checkpoint):
            return "\(folder): training diverged at iteration \(iteration) (a loss or weight is NaN or infinite); "
                + "the last checkpoint (iteration \(checkpoint)) is kept"
        case .engineRevisionDiffers(let file, let written, let current):
            return
                "\(file): written by engine revision \(written), and this program computes with revision \(current), "
                + "so the run would go on in other numbers; start a new run (another --run), or resume it with the program "
                + "version that trained it (sessions.csv names it)"
        case .stopped(let folder, let cause, let checkpoint):
            return
                "\(folder): \(cause); the run is intact up to its checkpoint at iteration \(checkpoint): make room and continue with --resume"
        }
    }

    /// Every failure exits 1 (an interrupted run exits 130 without an error).
    public var exitStatus: Int32 { 1 }
}
