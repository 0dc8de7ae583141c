import AtomicIO
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of one run:
///
///     config.json              what the run is (RunConfig)
///     recording.vgr            the snapshots, append-only, each record checksummed
///     losses.csv               one row per iteration
///     checkpoint.safetensors   weights, optimiser state, RNG state, position (atomic)
///     lock                     held (flock) by the one process training in it
public struct RunDirectory: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    public var configPath: String { path + "/" + RunConfig.fileName }
    public var recordingPath: String { path + "/" + RecordingFile.fileName }
    public var lossesPath: String { path + "/losses.csv" }
    public var checkpointPath: String { path + "/checkpoint.safetensors" }
    public var lockPath: String { path + "/lock" }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }
    public var holdsRun: Bool { FileManager.default.fileExists(atPath: configPath) }

    /// Whether the folder is absent or empty (a new run may start there).
    public var isEmptyOrAbsent: Bool {
        guard exists else { return true }
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]).isEmpty
    }

    public func create() throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw RunError(path: path, "cannot create the run directory (\((error as NSError).localizedDescription))")
        }
        guard access(path, W_OK) == 0 else { throw RunError(path: path, "run directory is not writable") }
    }

    /// Take the run's lock, or say who holds it. The kernel drops an flock when its process
    /// dies, so a crashed run never leaves it stuck. Keep the returned descriptor open.
    public func lock() throws -> Int32 {
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw RunError(path: lockPath, "cannot open the lock file (\(String(cString: strerror(errno))))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buf = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buf, 32, 0)
            let holder = String(decoding: buf.prefix(max(0, n)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw RunError(path: path, "is in use by another vaegan-render (pid \(holder.isEmpty ? "?" : holder)); wait for it or use another --run")
        }
        _ = ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pwrite(fd, pid, pid.count, 0)
        return fd
    }
}

/// The per-iteration loss log: `iteration,d_steps,g_steps,L_prior,L_dis_llike,L_GAN`.
public final class LossLog {
    public static let header = "iteration,d_steps,g_steps,L_prior,L_dis_llike,L_GAN"
    let path: String
    var pending = ""

    public init(path: String) { self.path = path }

    /// Keep only rows for iterations before `iteration` (a resumed run writes the rest again).
    /// Rewritten atomically; a torn last line from a crash is dropped too.
    public func rewind(to iteration: Int) throws {
        let rows = (try? Self.read(path: path)) ?? []
        let kept = rows.filter { $0.iteration < iteration }.map(\.line)
        try AtomicFile.write(Data(([Self.header] + kept).map { $0 + "\n" }.joined().utf8), to: path)
    }

    public func append(iteration: Int, dSteps: Int, gSteps: Int, prior: Float, reconstruction: Float, gan: Float) {
        let ganText = gan.isNaN ? "" : "\(gan)"
        pending += "\(iteration),\(dSteps),\(gSteps),\(prior),\(reconstruction),\(ganText)\n"
    }

    /// Append buffered rows to the file and sync (at every checkpoint).
    public func flush() throws {
        guard !pending.isEmpty else { return }
        guard let h = FileHandle(forWritingAtPath: path) else { throw RunError(path: path, "cannot open the loss log for appending") }
        defer { try? h.close() }
        do {
            try h.seekToEnd()
            try h.write(contentsOf: Data(pending.utf8))
            try h.synchronize()
        } catch { throw RunError(path: path, "cannot append to the loss log (\((error as NSError).localizedDescription))") }
        pending = ""
    }

    public struct Row: Sendable {
        public let iteration: Int, dSteps: Int, gSteps: Int
        public let prior: Double, reconstruction: Double, gan: Double?
        let line: String
    }

    /// Parse the log; lines that do not parse (a torn tail) are skipped.
    public static func read(path: String) throws -> [Row] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw RunError(path: path, "cannot read the loss log") }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 6, let i = Int(f[0]), let d = Int(f[1]), let g = Int(f[2]),
                  let p = Double(f[3]), let r = Double(f[4]) else { return nil }
            return Row(iteration: i, dSteps: d, gSteps: g, prior: p, reconstruction: r, gan: Double(f[5]), line: String(line))
        }
    }
}
