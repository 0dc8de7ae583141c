import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The files of one run:
///
///     config.json              what the run is (RunConfiguration)
///     recording.vgr            the snapshots, append-only, each record checksummed
///     losses.csv               one row per iteration
///     metrics.csv              label accuracy and sharpness of each snapshot (when a classifier is given)
///     checkpoint.safetensors   weights, optimiser state, RNG state, position (atomic)
///     sessions.csv             when each training session ran, for how long, by which program
///     evaluation.json          the last `evaluate` of the checkpoint
///     progress.json            where the training process stands (TrainingProgress), for `serve`
///     lock                     held (flock) by the one process training in it
public struct RunDirectory: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    public var configPath: String { path + "/config.json" }
    public var recordingPath: String { path + "/" + RecordingFile.fileName }
    public var lossesPath: String { path + "/losses.csv" }
    public var metricsPath: String { path + "/metrics.csv" }
    public var checkpointPath: String { path + "/checkpoint.safetensors" }
    public var lockPath: String { path + "/lock" }
    public var evaluationPath: String { path + "/evaluation.json" }
    public var progressPath: String { path + "/" + TrainingProgress.fileName }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }
    public var holdsRun: Bool { FileManager.default.fileExists(atPath: configPath) }

    /// Whether the folder is absent or empty (a new run may start there). A lock file and
    /// temporary files alone count as empty: they are what a new run killed during its start-up,
    /// before it wrote config.json, leaves behind.
    public var isEmptyOrAbsent: Bool {
        guard exists else { return true }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]
        return names.allSatisfy { $0 == "lock" || ($0.hasPrefix(".") && $0.hasSuffix(".tmp")) }
    }

    /// Refuse a folder where a new run cannot start: one that holds a run, or other files.
    public func checkFreeForNewRun() throws {
        guard isEmptyOrAbsent else {
            throw holdsRun ? RunError.alreadyHoldsRun(folder: path) : RunError.notEmpty(folder: path)
        }
    }

    public func create() throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw RunError.cannotWrite(
                path: path,
                reason:
                    "cannot create the run directory: \(Self.obstacle(to: path) ?? (error as NSError).localizedDescription)"
            )
        }
        guard access(path, W_OK) == 0 else {
            throw RunError.cannotWrite(path: path, reason: "run directory is not writable")
        }
    }

    /// Why a folder cannot be made at `path`: its nearest existing ancestor is a file, or cannot
    /// be written (nil when neither).
    static func obstacle(to path: String) -> String? {
        var ancestor = URL(fileURLWithPath: path).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: ancestor.path) && ancestor.path != "/" {
            ancestor.deleteLastPathComponent()
        }
        var isDir: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDir)
        if !isDir.boolValue { return "\(ancestor.path) is a file" }
        return access(ancestor.path, W_OK) == 0 ? nil : "\(ancestor.path) is not writable"
    }

    /// Take the run's lock, or say who holds it. The kernel drops an flock when its process
    /// dies, so a crashed run never leaves it stuck. Keep the returned descriptor open.
    public func lock() throws -> Int32 {
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else {
            throw RunError.cannotWrite(
                path: lockPath, reason: "cannot open the lock file (\(String(cString: strerror(errno))))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buf = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buf, 32, 0)
            let holder = String(decoding: buf.prefix(max(0, n)), as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)
            close(fd)
            throw RunError.locked(folder: path, pid: holder.isEmpty ? "?" : holder)
        }
        _ = ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pwrite(fd, pid, pid.count, 0)
        return fd
    }
}
