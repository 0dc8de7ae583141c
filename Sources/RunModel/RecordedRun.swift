import Foundation
import RunFolder
import Tensor
import VAEGAN

/// A run directory opened for reading (render, export, report): its configuration and its intact
/// snapshots, with what was skipped of a damaged tail.
public struct RecordedRun {
    public let directory: RunDirectory
    public let config: RunConfig
    public let snapshots: [Snapshot]
    /// Records lost to a torn or corrupt tail (0 for a whole recording), and why.
    public let skippedRecords: Int
    public let problem: String?

    /// The saved periods up to the last snapshot that the recording lacks (dropped as damaged by
    /// `--keep-intact-snapshots`, or skipped as damaged now): the films go from the snapshot
    /// before each to the one after, titled by their own iterations.
    public var missingPeriods: [Int] {
        guard let last = snapshots.last?.period else { return [] }
        let have = Set(snapshots.map(\.period))
        return SnapshotSchedule.savedPeriods.filter { $0 <= last && !have.contains($0) }
    }

    /// One line about the snapshots damage lost and the periods missing, if any are.
    public var damageWarning: String? {
        var parts: [String] = []
        if skippedRecords > 0 {
            parts.append(
                "\(problem ?? "damaged tail"); using the \(snapshots.count) intact snapshots, skipped \(skippedRecords)"
            )
        }
        let missing = missingPeriods
        if !missing.isEmpty {
            parts.append(
                "\(RecordingFile.periodsText(missing)) \(missing.count == 1 ? "is" : "are") missing; the films skip "
                    + (missing.count == 1 ? "it" : "them"))
        }
        return parts.isEmpty ? nil : "warning: \(directory.recordingPath): " + parts.joined(separator: "; ")
    }

    public static func open(_ path: String) throws -> RecordedRun {
        let dir = RunDirectory(path)
        let config = try RunConfig.read(from: path)
        guard FileManager.default.fileExists(atPath: dir.recordingPath) else {
            throw RunError.missing(
                file: path, what: "holds no recording yet (train-and-record has not taken a snapshot)")
        }
        let contents = try RecordingFile.read(path: dir.recordingPath)
        guard !contents.snapshots.isEmpty else {
            throw RunError.damagedRecording(
                file: dir.recordingPath, offset: contents.goodLength,
                problem: "holds no intact snapshot" + (contents.problem.map { " (\($0))" } ?? ""))
        }
        // Every label's grid must be there, and every point's label one of the run's: the films,
        // sheets and plots index them by label.
        let classes = config.data.classes.count
        if let odd = contents.snapshots.first(where: {
            $0.grids.count != classes || $0.zLabels.contains { Int($0) >= classes }
        }) {
            throw RunError.invalid(
                file: dir.recordingPath,
                problem: "snapshot of period \(odd.period) holds \(odd.grids.count) grids (or points of other labels), "
                    + "but the run has \(classes) classes")
        }
        return RecordedRun(
            directory: dir, config: config, snapshots: contents.snapshots,
            skippedRecords: contents.skippedRecords, problem: contents.problem)
    }

    /// The snapshot of `period`, or the latest when nil.
    public func snapshot(period: Int?) throws -> Snapshot {
        guard let period else { return snapshots.last! }
        guard let s = snapshots.first(where: { $0.period == period }) else {
            let have = snapshots.map(\.period)
            throw RunError.noSuchPeriod(
                file: directory.recordingPath, period: period, have: have.first!...have.last!, count: have.count)
        }
        return s
    }

    /// The latest checkpoint as a model ready to draw with.
    public func latestModel() throws -> LatestModel { try directory.latestModel(config: config) }
}

/// A run's latest weights, ready to draw with, and the iteration they were taken at: what the
/// walk film, the style-transfer sheets, `export`, `report`, `evaluate` and `serve` draw from.
public struct LatestModel {
    public let inference: Inference
    public let iteration: Int

    public init(inference: Inference, iteration: Int) { self.inference = inference; self.iteration = iteration }
}

public extension RunDirectory {
    /// Open the run's checkpoint as a ready model. A pure loader: the engine's thread count is
    /// the business of whoever owns the process (each command sets it once).
    func latestModel(config: RunConfig) throws -> LatestModel {
        let checkpoint = try Checkpoint.open(path: checkpointPath, config: config)
        return LatestModel(
            inference: Inference(weights: checkpoint.weights, config: config.model), iteration: checkpoint.iteration)
    }
}
