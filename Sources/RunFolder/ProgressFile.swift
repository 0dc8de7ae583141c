import AtomicIO
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `progress.json`: where the process training in a run stands, rewritten atomically (about
/// twice a second, and at every snapshot) while it trains, so that another process (`serve`) can
/// show it live. Wall-clock numbers, like sessions.csv: never part of what a run reproduces.
public struct TrainingProgress: Codable, Equatable, Sendable {
    public static let fileName = "progress.json"

    public enum State: String, Codable, Sendable { case training, finished, stopped }
    public var state: State
    /// The training process (to tell a live run from one that was killed).
    public var pid: Int32
    public var iteration: Int
    public var total: Int
    /// Where this session started (a resumed run starts at its checkpoint).
    public var startIteration: Int
    public var iterationsPerSecond: Double
    public var snapshots: Int
    /// The losses of the last iteration (nil before the first; L_GAN nil for the plain VAE).
    public var prior: Double?, reconstruction: Double?, gan: Double?
    /// Seconds since 1970 when this was written.
    public var updated: Double

    public init(
        state: State, pid: Int32, iteration: Int, total: Int, startIteration: Int, iterationsPerSecond: Double,
        snapshots: Int, prior: Double?, reconstruction: Double?, gan: Double?, updated: Double
    ) {
        self.state = state; self.pid = pid; self.iteration = iteration; self.total = total;
        self.startIteration = startIteration
        self.iterationsPerSecond = iterationsPerSecond; self.snapshots = snapshots
        self.prior = prior; self.reconstruction = reconstruction; self.gan = gan; self.updated = updated
    }

    /// Seconds left at the current rate (nil before the rate is known).
    public var etaSeconds: Double? {
        iterationsPerSecond > 0 ? Double(total - iteration) / iterationsPerSecond : nil
    }

    /// Training now: the file says so and its process is alive (a killed run leaves "training").
    public var isLive: Bool { state == .training && (kill(pid, 0) == 0 || errno == EPERM) }

    public func write(to dir: RunDirectory) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: dir.progressPath)
    }

    /// The run's progress.json, or nil when it has none or it cannot be read.
    public static func read(_ dir: RunDirectory) -> TrainingProgress? {
        guard let data = FileManager.default.contents(atPath: dir.progressPath) else { return nil }
        return try? JSONDecoder().decode(TrainingProgress.self, from: data)
    }
}
