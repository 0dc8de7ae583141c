import AtomicIO
import Foundation

/// Where a sweep's points train: one after another (or `--jobs` at once) on this machine, or as
/// a Slurm job array.
public enum SweepBackend: String, CaseIterable, Sendable { case local, slurm }

/// A sweep as a Slurm job array: one task per point, each running `vaegan-render sweep DIR
/// --point N`, which trains (or resumes) and evaluates that point. Slurm does the placing; the
/// sweep folder and this program must be on a file system every node sees. A task that is
/// cancelled, preempted or requeued starts again from its run's last checkpoint, which continues
/// byte for byte as if it had never stopped.
public enum Slurm {
    public static let scriptName = "sweep.sbatch"
    /// Where the tasks' output goes, under the sweep folder.
    public static let logFolder = "slurm"

    /// The batch script for `points` tasks. `threads`, when given, asks for as many CPUs a task.
    public static func script(sweep: String, executable: String, points: Int, threads: Int?) -> String {
        var lines = [
            "#!/bin/bash",
            "# One task per point of the sweep in \(sweep) (sweep.json); written by vaegan-render sweep --on slurm.",
            "#SBATCH --job-name=vaegan-sweep",
            "#SBATCH --array=0-\(points - 1)",
            "#SBATCH --requeue",
            "#SBATCH --open-mode=append",
            "#SBATCH --output=\(sweep)/\(logFolder)/%A_%a.out"
        ]
        if let threads { lines.append("#SBATCH --cpus-per-task=\(threads)") }
        lines.append("exec \(quoted(executable)) sweep \(quoted(sweep)) --point \"$SLURM_ARRAY_TASK_ID\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `'text'` for bash.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Write the script into the sweep folder and submit it with `sbatch --parsable`, the user's
    /// options (`--partition`, `--time`, ...) first on its command line. The job's id.
    public static func submit(sweep: String, script: String, options: [String]) throws -> String {
        try FileManager.default.createDirectory(
            atPath: sweep + "/" + logFolder, withIntermediateDirectories: true)
        let path = sweep + "/" + scriptName
        try AtomicFile.write(Data(script.utf8), to: path)
        guard let out = run("sbatch", ["--parsable"] + options + [path]), out.status == 0 else {
            throw SweepError.plan("sbatch could not submit \(path) (is Slurm installed and running here?)")
        }
        // --parsable prints "jobid" or "jobid;cluster".
        guard let id = out.text.split(separator: "\n").first?.split(separator: ";").first, !id.isEmpty,
            id.allSatisfy(\.isNumber)
        else {
            throw SweepError.plan("sbatch answered '\(out.text.prefix(200))', not a job id")
        }
        return String(id)
    }

    /// What Slurm says of each task of `job`, by index: `squeue` for the tasks it still holds,
    /// `sacct` (where accounting is on) for those that ended. Empty where neither answers.
    public static func taskStates(job: String) -> [Int: String] {
        var states: [Int: String] = [:]
        if let out = run("sacct", ["-n", "-P", "-X", "-j", job, "-o", "JobID,State"]), out.status == 0 {
            for line in out.text.split(separator: "\n") {
                let f = line.split(separator: "|")
                if f.count == 2, let i = f[0].split(separator: "_").last.flatMap({ Int($0) }) {
                    states[i] = String(f[1].split(separator: " ").first ?? "")
                }
            }
        }
        if let out = run("squeue", ["-h", "-r", "-j", job, "-o", "%K %T"]), out.status == 0 {
            for line in out.text.split(separator: "\n") {
                let f = line.split(separator: " ")
                if f.count == 2, let i = Int(f[0]) { states[i] = String(f[1]) }
            }
        }
        return states
    }

    /// Run a Slurm command found on PATH; nil when it cannot be started.
    static func run(_ tool: String, _ arguments: [String]) -> (status: Int32, text: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
