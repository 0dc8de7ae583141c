import AtomicIO
import Foundation

/// `sessions.csv`: one row per training session (a run, or one resumption of it), for the report's
/// "time trained", "trained by" and "kernels". Wall-clock times are not reproducible, so they live
/// here and not in the checkpoint, whose bytes are. The kernels say why a session ran at the speed
/// it did: OpenBLAS's core and who set it (`library`, `user` through OPENBLAS_CORETYPE, or
/// `vaegan-render` replacing the library's generic `openblas_picked`), oneDNN's instruction set and
/// the convolutions' precision.
///
///     started,from_iteration,to_iteration,seconds,threads,program,precision,openblas_core,openblas_set_by,openblas_picked,onednn_isa
///
/// Runs trained before the kernels were recorded have the first six columns; their rows read with
/// empty kernels, and the next session rewrites the header (old rows get empty fields).
public enum SessionLog {
    public static let fileName = "sessions.csv"
    static let columns = [
        "started", "from_iteration", "to_iteration", "seconds", "threads", "program", "precision", "openblas_core",
        "openblas_set_by", "openblas_picked", "onednn_isa"
    ]
    /// The columns of the first version of this file.
    static let firstColumns = 6

    /// The kernels of one session, as words (the engine's names; see `KernelChoice`).
    public struct Kernels: Equatable, Sendable {
        public var precision: String, openBLASCore: String, openBLASSetBy: String, openBLASPicked: String
        public var oneDNNISA: String
        public init(
            precision: String, openBLASCore: String, openBLASSetBy: String, openBLASPicked: String, oneDNNISA: String
        ) {
            self.precision = precision; self.openBLASCore = openBLASCore; self.openBLASSetBy = openBLASSetBy
            self.openBLASPicked = openBLASPicked; self.oneDNNISA = oneDNNISA
        }
        static let unrecorded = Kernels(
            precision: "", openBLASCore: "", openBLASSetBy: "", openBLASPicked: "", oneDNNISA: "")
        var fields: [String] { [precision, openBLASCore, openBLASSetBy, openBLASPicked, oneDNNISA] }

        /// "OpenBLAS SkylakeX (set by vaegan-render; the library picked Prescott), oneDNN avx2,
        /// 2 threads, fp32", or nil for a session recorded before kernels were.
        public func text(threads: Int) -> String? {
            guard !openBLASCore.isEmpty else { return nil }
            let who =
                switch openBLASSetBy {
                case "library": "the library's choice"
                case "user": "set by OPENBLAS_CORETYPE"
                default:
                    "set by \(openBLASSetBy)" + (openBLASPicked.isEmpty ? "" : "; the library picked \(openBLASPicked)")
                }
            return
                "OpenBLAS \(openBLASCore) (\(who)), oneDNN \(oneDNNISA), \(threads) thread\(threads == 1 ? "" : "s"), \(precision)"
        }
    }

    public struct Session: Equatable, Sendable {
        /// ISO 8601, UTC.
        public var started: String
        public var fromIteration: Int, toIteration: Int
        public var seconds: Double
        public var threads: Int
        /// The program's version (and commit) that trained it.
        public var program: String
        public var kernels: Kernels
        public init(
            started: String, fromIteration: Int, toIteration: Int, seconds: Double, threads: Int, program: String,
            kernels: Kernels
        ) {
            self.started = started; self.fromIteration = fromIteration; self.toIteration = toIteration
            self.seconds = seconds; self.threads = threads; self.program = program; self.kernels = kernels
        }

        var fields: [String] {
            ["\(started)", "\(fromIteration)", "\(toIteration)", String(format: "%.1f", seconds), "\(threads)", program]
                + kernels.fields
        }
    }

    /// Append one session, rewriting the small file atomically (and an older file's header, its
    /// rows padded to the columns of today).
    public static func append(_ s: Session, to dir: RunDirectory) throws {
        let path = dir.path + "/" + fileName
        let old = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").dropFirst()
        let rows = old.map { row -> String in
            let n = row.split(separator: ",", omittingEmptySubsequences: false).count
            return row + String(repeating: ",", count: max(0, columns.count - n))
        }
        let row = s.fields.map { $0.replacingOccurrences(of: ",", with: ";").replacingOccurrences(of: "\n", with: " ") }
        let text =
            ([columns.joined(separator: ",")] + rows + [row.joined(separator: ",")]).joined(separator: "\n") + "\n"
        try AtomicFile.write(Data(text.utf8), to: path)
    }

    /// The sessions recorded in the run, oldest first (none for a run older than this log; rows
    /// that do not parse are skipped).
    public static func read(_ dir: RunDirectory) -> [Session] {
        guard let text = try? String(contentsOfFile: dir.path + "/" + fileName, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == firstColumns || f.count == columns.count, let from = Int(f[1]), let to = Int(f[2]),
                let seconds = Double(f[3]), let threads = Int(f[4])
            else {
                return nil
            }
            let kernels =
                f.count == columns.count
                ? Kernels(
                    precision: f[6], openBLASCore: f[7], openBLASSetBy: f[8], openBLASPicked: f[9], oneDNNISA: f[10])
                : .unrecorded
            return Session(
                started: f[0], fromIteration: from, toIteration: to, seconds: seconds, threads: threads, program: f[5],
                kernels: kernels)
        }
    }
}
