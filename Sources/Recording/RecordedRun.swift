import Foundation
import Tensor
import VAEGAN

/// A run directory opened for reading (render, export): its configuration and its intact
/// snapshots, with what was skipped of a damaged tail.
public struct RecordedRun {
    public let directory: RunDirectory
    public let config: RunConfig
    public let snapshots: [Snapshot]
    /// Records lost to a torn or corrupt tail (0 for a whole recording), and why.
    public let skippedRecords: Int
    public let problem: String?

    public static func open(_ path: String) throws -> RecordedRun {
        let dir = RunDirectory(path)
        let config = try RunConfig.read(from: path)
        guard FileManager.default.fileExists(atPath: dir.recordingPath) else {
            throw RunError(path: path, "holds no recording yet (train-and-record has not taken a snapshot)")
        }
        let contents = try RecordingFile.read(path: dir.recordingPath)
        guard !contents.snapshots.isEmpty else {
            throw RunError(path: dir.recordingPath, "holds no intact snapshot" + (contents.problem.map { " (\($0))" } ?? ""))
        }
        return RecordedRun(directory: dir, config: config, snapshots: contents.snapshots,
                           skippedRecords: contents.skippedRecords, problem: contents.problem)
    }

    /// The snapshot of `period`, or the latest when nil.
    public func snapshot(period: Int?) throws -> Snapshot {
        guard let period else { return snapshots.last! }
        guard let s = snapshots.first(where: { $0.period == period }) else {
            let have = snapshots.map(\.period)
            throw RunError(path: directory.recordingPath, "has no snapshot of period \(period) (it has periods \(have.first!)...\(have.last!), \(have.count) in all)")
        }
        return s
    }

    /// The weights of the latest checkpoint.
    public func latestWeights() throws -> ModelWeights {
        let path = directory.checkpointPath
        guard FileManager.default.fileExists(atPath: path) else { throw RunError(path: directory.path, "holds no checkpoint yet") }
        let (tensors, meta) = try SafeTensors.read(path: path)
        guard meta["format"] == Checkpoint.format else { throw RunError(path: path, "is not a vaegan-render checkpoint") }
        do { return try ModelWeights(tensors: tensors, latentDim: config.model.latentDim) } catch { throw RunError(path: path, "\(error)") }
    }
}
