import Foundation
import RunFolder
import VAEGAN

public extension RunDirectory {
    /// The weights file `--checkpoint iteration` names: the weights the run kept at that
    /// iteration (`KeptCheckpoints`), or its checkpoint where that is the iteration it holds;
    /// nil names the checkpoint. An iteration the run has neither of is refused, naming the ones
    /// it keeps. Nothing in the run is written.
    func weightsPath(checkpoint iteration: Int?) throws -> String {
        guard let iteration else { return checkpointPath }
        let kept = keptCheckpointPath(iteration: iteration)
        if FileManager.default.fileExists(atPath: kept) { return kept }
        let latest = try? CheckpointFile.read(path: checkpointPath).iteration()
        if latest == iteration { return checkpointPath }
        throw RunError.noSuchCheckpoint(
            folder: path, iteration: iteration, kept: KeptCheckpoints.iterations(in: self), latest: latest)
    }

    /// The model of `--checkpoint iteration` (nil: the latest checkpoint), ready to draw with. A
    /// kept file is checked as a checkpoint is (the run's model, whole and finite weights) and
    /// must say the iteration its name says; a damaged one is refused in one line naming it.
    func model(config: RunConfig, checkpoint iteration: Int?) throws -> LatestModel {
        let path = try weightsPath(checkpoint: iteration)
        let opened = try Checkpoint.open(path: path, config: config)
        if let iteration, opened.iteration != iteration {
            throw RunError.invalid(
                file: path, problem: "says iteration \(opened.iteration), but its name says \(iteration)")
        }
        return LatestModel(
            inference: Inference(weights: opened.weights, config: config.model), iteration: opened.iteration)
    }
}
