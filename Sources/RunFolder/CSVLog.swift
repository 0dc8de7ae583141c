import AtomicIO
import Foundation

/// An append-only CSV log keyed by iteration (`losses.csv`, `metrics.csv`): rows are buffered and
/// appended with a sync at every checkpoint; a resumed run rewinds the file to its checkpoint and
/// writes the later rows again, so the log always matches the checkpoint it goes with.
public final class CSVLog {
    public let path: String
    public let header: String
    var pending = ""

    public init(path: String, header: String) { self.path = path; self.header = header }

    var columnCount: Int { header.split(separator: ",").count }

    /// Keep only rows for iterations before `iteration`. Rewritten atomically; a torn last line
    /// from a crash is dropped too.
    public func rewind(to iteration: Int) throws {
        let rows = (try? Self.read(path: path, columns: columnCount)) ?? []
        let kept = rows.filter { $0.iteration < iteration }.map(\.line)
        try AtomicFile.write(Data(([header] + kept).map { $0 + "\n" }.joined().utf8), to: path)
    }

    /// Buffer one row; its first field is the iteration.
    public func append(_ fields: [String]) {
        precondition(fields.count == columnCount, "\(path): \(fields.count) fields for \(columnCount) columns")
        pending += fields.joined(separator: ",") + "\n"
    }

    /// Append buffered rows to the file and sync (at every checkpoint).
    public func flush() throws {
        guard !pending.isEmpty else { return }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw RunError.cannotWrite(path: path, reason: "cannot open the log for appending")
        }
        defer { try? h.close() }
        do {
            try h.seekToEnd()
            try h.write(contentsOf: Data(pending.utf8))
            try h.synchronize()
        } catch {
            throw RunError.cannotWrite(
                path: path, reason: "cannot append to the log (\((error as NSError).localizedDescription))")
        }
        pending = ""
    }

    public struct Row: Sendable {
        public let iteration: Int
        /// Every field after the iteration, as written.
        public let fields: [Substring]
        let line: String
    }

    /// The rows of a log with `columns` columns; lines that do not parse (a torn tail) are skipped.
    public static func read(path: String, columns: Int) throws -> [Row] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RunError.cannotRead(path: path, reason: "cannot read the log")
        }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == columns, let i = Int(f[0]) else { return nil }
            return Row(iteration: i, fields: Array(f.dropFirst()), line: String(line))
        }
    }

    /// The column names in the file's header.
    public static func header(path: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let first = text.split(separator: "\n").first
        else {
            throw RunError.cannotRead(path: path, reason: "cannot read the log")
        }
        return first.split(separator: ",").map(String.init)
    }
}

/// The per-iteration loss log: `iteration,d_steps,g_steps,L_prior,L_dis_llike,L_GAN`.
public enum LossLog {
    public static let header = "iteration,d_steps,g_steps,L_prior,L_dis_llike,L_GAN"

    public static func open(path: String) -> CSVLog { CSVLog(path: path, header: header) }

    public static func append(
        _ log: CSVLog, iteration: Int, dSteps: Int, gSteps: Int, prior: Float, reconstruction: Float, gan: Float
    ) {
        log.append([
            "\(iteration)", "\(dSteps)", "\(gSteps)", "\(prior)", "\(reconstruction)", gan.isNaN ? "" : "\(gan)"
        ])
    }

    public struct Row: Sendable {
        public let iteration: Int, dSteps: Int, gSteps: Int
        public let prior: Double, reconstruction: Double, gan: Double?
    }

    public static func read(path: String) throws -> [Row] {
        try CSVLog.read(path: path, columns: 6).compactMap { r in
            let f = r.fields
            guard let d = Int(f[0]), let g = Int(f[1]), let p = Double(f[2]), let l = Double(f[3]) else { return nil }
            return Row(iteration: r.iteration, dSteps: d, gSteps: g, prior: p, reconstruction: l, gan: Double(f[4]))
        }
    }
}

/// Metrics of each snapshot: `iteration,period,<name>...`, numbers measured by a caller-supplied
/// function (the classifier lives outside this part).
public enum MetricsLog {
    public struct Row: Sendable {
        public let iteration: Int
        public let period: Int
        public let values: [String: Double]
    }

    public static func read(path: String) throws -> [Row] {
        let names = try CSVLog.header(path: path)
        guard names.count >= 2, names[0] == "iteration", names[1] == "period" else {
            throw RunError.invalid(
                file: path, problem: "is not a metrics log (its header does not start with iteration,period)")
        }
        return try CSVLog.read(path: path, columns: names.count).compactMap { r in
            guard let period = Int(r.fields[0]) else { return nil }
            var values: [String: Double] = [:]
            for (name, field) in zip(names.dropFirst(2), r.fields.dropFirst()) { values[name] = Double(field) }
            return Row(iteration: r.iteration, period: period, values: values)
        }
    }
}
