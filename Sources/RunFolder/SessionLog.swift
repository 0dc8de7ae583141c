import AtomicIO
import Foundation

/// `sessions.csv`: one row per training session (a run, or one resumption of it), for the report's
/// "time trained" and "trained by". Wall-clock times are not reproducible, so they live here and
/// not in the checkpoint, whose bytes are.
///
///     started,from_iteration,to_iteration,seconds,threads,program
public enum SessionLog {
    public static let fileName = "sessions.csv"
    static let header = "started,from_iteration,to_iteration,seconds,threads,program"

    public struct Session: Equatable, Sendable {
        /// ISO 8601, UTC.
        public var started: String
        public var fromIteration: Int, toIteration: Int
        public var seconds: Double
        public var threads: Int
        /// The program's version (and commit) that trained it.
        public var program: String
        public init(
            started: String, fromIteration: Int, toIteration: Int, seconds: Double, threads: Int, program: String
        ) {
            self.started = started; self.fromIteration = fromIteration; self.toIteration = toIteration
            self.seconds = seconds; self.threads = threads; self.program = program
        }
    }

    /// Append one session, rewriting the small file atomically.
    public static func append(_ s: Session, to dir: RunDirectory) throws {
        let path = dir.path + "/" + fileName
        var text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? header + "\n"
        if !text.hasSuffix("\n") { text += "\n" }
        let program = s.program.replacingOccurrences(of: ",", with: ";")
        text +=
            "\(s.started),\(s.fromIteration),\(s.toIteration),\(String(format: "%.1f", s.seconds)),\(s.threads),\(program)\n"
        try AtomicFile.write(Data(text.utf8), to: path)
    }

    /// The sessions recorded in the run, oldest first (none for a run older than this log; rows
    /// that do not parse are skipped).
    public static func read(_ dir: RunDirectory) -> [Session] {
        guard let text = try? String(contentsOfFile: dir.path + "/" + fileName, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6, let from = Int(f[1]), let to = Int(f[2]), let seconds = Double(f[3]),
                let threads = Int(f[4])
            else {
                return nil
            }
            return Session(
                started: f[0], fromIteration: from, toIteration: to, seconds: seconds, threads: threads, program: f[5])
        }
    }
}

/// A duration as "42s", "3m07s" or "1h05m".
public func durationText(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "--" }
    let s = Int(seconds.rounded())
    return s >= 3600
        ? "\(s / 3600)h\(String(format: "%02d", s / 60 % 60))m"
        : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
}
