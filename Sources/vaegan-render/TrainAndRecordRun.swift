import ArgumentParser
import Console
import Datasets
import Evaluation
import Foundation
import OwnData
import RunFolder
import RunModel
import Tensor
import Training
import VAEGAN

/// What train-and-record does with its flags: the run's settings and data, the session, and what
/// the terminal shows of it.
extension TrainAndRecord {
    func run() throws {
        let quiet = runOptions.quiet
        let dir = RunDirectory(runOptions.run)
        var config: RunConfig
        if resume {
            config = try .resuming(
                dir, variant: variant, precision: precision, dropoutMasks: dropoutMasks, snapshotEvery: snapshotEvery,
                iterations: iterations,
                threads: runOptions.threadsOption, recordDecoders: recordDecoders)
        } else {
            try dir.checkFreeForNewRun()
            // MNIST's and Fashion-MNIST's ten numbered classes; one's own set replaces them below.
            config = .newRun(
                model: ModelConfig(
                    data: .digits, kind: model, variant: variant, latentDim: latentDim, trainSimilarity: trainL,
                    precision: precision,
                    dropoutMasks: dropoutMasks),
                preset: preset, iterations: iterations, snapshotEvery: snapshotEvery, seed: seed, batchSize: batchSize,
                dataset: dataset, dataDirectory: dataOptions.directory(for: dataset), threads: runOptions.threads,
                checkpointEvery: checkpointEvery, recordDecoders: recordDecoders)
        }
        if let problem = config.model.precision.problem() { throw ValidationError(problem) }
        // One's own images where --data names them (a .npz, .npy files, PNG folders), said in one line.
        let shape = ImageShapeChoice(side: side, colour: colour)
        if resume, let problem = shape.resumeProblem(config.data) { throw ValidationError(problem) }
        let own = try (resume ? nil : dataOptions.ownDataset(inversion: invert, seed: seed, shape: shape)).map { own in
            Terminal.info(own.summary + "; classes " + own.data.classes.names.joined(separator: ", "), quiet: quiet)
            return RunData.adopt(own, source: dataOptions.data!, into: &config, run: dir)
        }
        let data =
            try own?.dataset
            ?? RunData.resumed(
                config, given: resume ? dataOptions.data : nil, givenAs: "--data \(dataOptions.data ?? "")"
            ) {
                try dataOptions.ownDataset(inversion: invert, seed: config.seed, shape: ImageShapeChoice(config.data))?
                    .quantised().dataset
                    ?? Dataset.load(directory: $0)
            }
        if let problem = data.labelProblem(config.data) {
            throw ValidationError("--data \(dataOptions.data ?? config.dataDirectory): \(problem)")
        }
        guard data.train.count >= config.batchSize else {
            throw ValidationError(
                "--batch-size \(config.batchSize) is larger than the training set (\(data.train.count))")
        }
        Threads.set(config.threads)
        let session = try TrainingSession(
            run: dir, config: config, dataset: data, resume: resume, keepIntactSnapshots: keepIntactSnapshots,
            measure: try snapshotMeasure(data, dataset: config.dataset, quiet: quiet))
        // The user's own set is kept in the run folder as IDX files, which a resume reads.
        if let own { try own.dataset.writeIDX(to: config.dataDirectory) }
        // What was dropped is said even with --quiet: the user asked to lose it, and should see what.
        if let dropped = session.dropped { Terminal.info("warning: " + dropped, quiet: false) }
        if session.startIteration >= config.iterations {
            Terminal.info(
                "\(dir.path): already trained to iteration \(session.startIteration) of \(config.iterations); nothing to do",
                quiet: quiet)
            return
        }
        let kernels = KernelChoice.current(precision: config.model.precision)
        Terminal.info(kernels.line, quiet: quiet)
        if let note = kernels.note(besideLine: true) { Terminal.info(note, quiet: quiet) }
        Terminal.info(session.summary, quiet: quiet)
        StopSignal.install()
        let line = ProgressLine(quiet: quiet, startCount: session.startIteration)
        let outcome = try line.around {
            try session.run(shouldStop: { StopSignal.requested != 0 }) {
                line.draw(done: $0.iterationsDone, total: $0.iterationsTotal, $0.line)
            }
        }
        switch outcome {
        case .finished:
            Terminal.info(
                "done: \(config.iterations) iterations in \(durationText(Date().timeIntervalSince(line.start))), "
                    + "\(session.snapshotsTaken) snapshots in \(dir.recordingPath)", quiet: quiet)
        case .interrupted(let i):
            Terminal.info(
                "stopped at iteration \(i); checkpoint written. Continue with: vaegan-render train-and-record --run \(dir.path) --resume",
                quiet: quiet)
            throw ExitCode(130)
        }
    }

    /// Label accuracy and sharpness of each snapshot (metrics.csv), judged by the digit classifier:
    /// MNIST runs only. Without the shipped weights the run goes on unmeasured, unless the user
    /// named a classifier file.
    func snapshotMeasure(_ data: Dataset, dataset: DatasetKind, quiet: Bool) throws
        -> TrainingSession.SnapshotMeasure?
    {
        guard dataset == .mnist else { return nil }
        let classifier: Classifier
        do { classifier = try classifierOptions.load() } catch {
            if classifierOptions.isExplicit { throw error }
            Terminal.info("note: \(error); snapshots are not measured (no metrics.csv)", quiet: quiet)
            return nil
        }
        let metrics = SnapshotMetrics(classifier: classifier, test: data.test)
        return .init(names: metrics.names, measure: metrics.measure)
    }
}
