import ArgumentParser
import Console
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
        let config: RunConfig
        if resume {
            config = try .resuming(
                dir, variant: variant, precision: precision, dropoutMasks: dropoutMasks, snapshotEvery: snapshotEvery,
                iterations: iterations,
                threads: runOptions.threadsOption, recordDecoders: recordDecoders, keepCheckpoints: keepCheckpoints)
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
                checkpointEvery: checkpointEvery, recordDecoders: recordDecoders, keepCheckpoints: keepCheckpoints ?? 0)
        }
        let shape = ImageShapeChoice(side: side, colour: colour)
        if resume, let problem = shape.resumeProblem(config.data) { throw ValidationError(problem) }
        Threads.set(config.threads)
        let session = try TrainingSession.open(
            config, run: dir, resume: resume, keepIntactSnapshots: keepIntactSnapshots, given: dataOptions.data,
            inversion: invert, shape: shape, say: { Terminal.info($0, quiet: quiet) }
        ) { config, test in
            try SnapshotMetrics.forRun(of: config.dataset, test: test, named: classifierOptions.named) {
                Terminal.info($0, quiet: quiet)
            }.map { .init(names: $0.names, measure: $0.measure) }
        }
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
}
