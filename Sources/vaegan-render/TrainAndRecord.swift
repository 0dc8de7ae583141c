import ArgumentParser
import Evaluation
import Foundation
import MNIST
import RunFolder
import Tensor
import Training
import VAEGAN

extension Preset: ExpressibleByArgument {}

struct TrainAndRecord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-and-record",
        abstract: "Train the model, snapshotting decoder outputs on the notebook's saved-periods schedule.",
        discussion: """
        Writes into the run directory: config.json, recording.vgr (one snapshot per saved period), \
        losses.csv (one row per iteration), metrics.csv (per snapshot) and checkpoint.safetensors \
        (every --checkpoint-every iterations, at the end and on Ctrl-C). --resume continues a stopped \
        run exactly where its checkpoint left it, on the run's own thread count and variant unless \
        --threads says otherwise; the result is bit-identical to an unbroken run with the same seed \
        and thread count.

        Variants: 'published' (the default) trains the losses of the notebook that made the \
        article's films and figures: L_GAN averaged over the batch, L_dis_llike the squared distance \
        of the l features. 'printed' trains the code printed in the article, whose L_GAN is too small \
        for the loop's balancing: its encoder collapses and every cell of a grid draws the same digit.

        Snapshots: every --snapshot-every iterations is a period; periods 0-99 and then every 10th \
        up to 990 are saved, and each film's title "Batch: N" is the iteration N.

        Presets, by variant (iterations, snapshot spacing, snapshots):
        \(Preset.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n"))
        """)

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var classifierOptions: ClassifierOptions

    @Option(help: "default, schedule or notebook (see above).")
    var preset: Preset = .standard

    @Option(help: "published (the article's figures) or printed (the article's code). Default: published; a resumed run keeps its own.")
    var variant: String?

    @Option(help: "Outer iterations in all (overrides the preset; with --resume, extends the run).")
    var iterations: Int?

    @Option(name: .customLong("snapshot-every"), help: "Iterations per snapshot period (overrides the preset).")
    var snapshotEvery: Int?

    @Option(name: .customLong("latent-dim"), help: "Size of the latent space (at least 2, for the manifold).")
    var latentDim: Int = ModelConfig().latentDim

    @Option(name: .customLong("batch-size"), help: "Examples per batch.")
    var batchSize: Int = RunConfig().batchSize

    @Option(help: "Seed of every random draw (weights, data order, noise, dropout).")
    var seed: UInt64 = 0

    @Option(help: "mnist or fashion-mnist.")
    var dataset: String = "mnist"

    @Option(help: "cvae-gan (the notebook) or cvae (the plain conditional VAE baseline).")
    var model: String = "cvae-gan"

    @Flag(name: .customLong("train-l"), help: "Also train the discriminator's l layer on L_dis_llike (the notebook never updates it).")
    var trainL = false

    @Option(name: .customLong("checkpoint-every"), help: "Iterations between checkpoints.")
    var checkpointEvery: Int = RunConfig().checkpointEvery

    @Flag(help: "Continue the run in --run from its last checkpoint.")
    var resume = false

    func validate() throws {
        if let n = iterations, n < 1 { throw ValidationError("--iterations must be a positive number, got \(n)") }
        try checkRange(latentDim, ModelConfig.latentDims, "--latent-dim", why: " (the manifold varies z[0] and z[1])")
        try checkRange(batchSize, RunLimits.batchSize, "--batch-size")
        guard DatasetKind(rawValue: dataset) != nil else { throw ValidationError("--dataset must be mnist or fashion-mnist, got '\(dataset)'") }
        guard ModelKind(rawValue: model) != nil else { throw ValidationError("--model must be cvae-gan or cvae, got '\(model)'") }
        if let variant, LossVariant(rawValue: variant) == nil {
            throw ValidationError("--variant must be published or printed, got '\(variant)'")
        }
        if let n = snapshotEvery { try checkRange(n, RunLimits.iterationsPerPeriod, "--snapshot-every") }
        guard checkpointEvery >= 1 else { throw ValidationError("--checkpoint-every must be positive, got \(checkpointEvery)") }
    }

    func run() throws {
        let quiet = runOptions.quiet
        let dir = RunDirectory(runOptions.run)
        var config: RunConfig
        if resume {
            config = try RunConfig.read(from: dir.path)
            if let variant, variant != config.model.variant.rawValue {
                throw RunError.settingDiffers(file: dir.configPath, setting: "--variant", run: config.model.variant.rawValue, requested: variant)
            }
            if let n = snapshotEvery, n != config.iterationsPerPeriod {
                throw RunError.settingDiffers(file: dir.configPath, setting: "--snapshot-every", run: "\(config.iterationsPerPeriod)", requested: "\(n)")
            }
            if let n = iterations { config.iterations = n }
            // Same thread count, same numbers: keep the run's unless told otherwise.
            if let n = runOptions.threadsOption { config.threads = n }
        } else {
            if dir.holdsRun {
                throw RunError.alreadyHoldsRun(folder: dir.path)
            }
            let lossVariant = variant.flatMap(LossVariant.init(rawValue:)) ?? .published
            config = RunConfig()
            config.model = ModelConfig(kind: ModelKind(rawValue: model)!, variant: lossVariant, latentDim: latentDim, trainSimilarity: trainL)
            config.seed = seed
            config.batchSize = batchSize
            let plan = preset.plan(lossVariant)
            config.iterations = iterations ?? plan.iterations
            config.iterationsPerPeriod = snapshotEvery ?? plan.schedule.iterationsPerPeriod
            config.preset = preset.rawValue
            config.dataset = dataset
            config.dataDirectory = dataOptions.directory(for: DatasetKind(rawValue: dataset)!)
            config.threads = runOptions.threads
            config.checkpointEvery = checkpointEvery
        }
        let data = try Dataset.load(directory: resume ? (dataOptions.data ?? config.dataDirectory) : config.dataDirectory)
        guard data.train.count >= config.batchSize else {
            throw ValidationError("--batch-size \(config.batchSize) is larger than the training set (\(data.train.count))")
        }
        Threads.set(config.threads)
        let session = try TrainingSession(run: dir, config: config, dataset: data, resume: resume, measure: try snapshotMeasure(data, dataset: config.dataset, quiet: quiet))
        if session.startIteration >= config.iterations {
            Terminal.info("\(dir.path): already trained to iteration \(session.startIteration) of \(config.iterations); nothing to do", quiet: quiet)
            return
        }
        let variant = config.model.kind == .cvaeGAN ? "\(config.model.variant.rawValue), " : ""
        Terminal.info("training \(config.model.kind.rawValue) (\(variant)latent \(config.model.latentDim)) in \(dir.path): iterations \(session.startIteration)..<\(config.iterations), "
                      + "\(config.threads) threads, seed \(config.seed)", quiet: quiet)
        StopSignal.install()
        let line = ProgressLine(quiet: quiet, startCount: session.startIteration)
        func drawProgress(_ p: TrainingSession.Progress) {
            line.draw(done: p.iterationsDone, total: p.iterationsTotal) { rate, eta in
                let l = p.log
                let gan = l.gan.isNaN ? "" : String(format: " L_GAN %.3f", l.gan)
                return String(format: "iter %d/%d  %.2f it/s  ETA %@  L_prior %.4f  %@ %.3f%@  D/G steps %d/%d  snapshots %d",
                              p.iterationsDone, p.iterationsTotal, rate, eta, l.prior,
                              config.model.kind == .cvae ? "L_rec" : "L_dis_llike", l.reconstruction, gan,
                              l.discriminatorSteps, l.generatorSteps, p.snapshots)
            }
        }
        let outcome: TrainingSession.Outcome
        // The session's wall time goes to sessions.csv however it ends (not after a SIGKILL).
        let started = Date()
        defer {
            try? SessionLog.append(SessionLog.Session(
                started: ISO8601DateFormatter().string(from: started), fromIteration: session.startIteration,
                toIteration: session.lastCheckpoint, seconds: Date().timeIntervalSince(started), threads: config.threads,
                program: ProgramVersion.description), to: dir)
        }
        do {
            outcome = try session.run(shouldStop: { StopSignal.requested != 0 }, progress: drawProgress)
        } catch {
            line.end()
            if case RunError.diverged = error { throw error }  // the last good checkpoint is kept; nothing to resume into
            throw RunError.stopped(folder: dir.path, cause: "\(error)", checkpoint: session.lastCheckpoint)
        }
        line.end()
        switch outcome {
        case .finished:
            Terminal.info("done: \(config.iterations) iterations in \(Terminal.duration(Date().timeIntervalSince(line.start))), "
                          + "\(session.snapshotsTaken) snapshots in \(dir.recordingPath)", quiet: quiet)
        case .interrupted(let i):
            Terminal.info("stopped at iteration \(i); checkpoint written. Continue with: vaegan-render train-and-record --run \(dir.path) --resume", quiet: quiet)
            throw ExitCode(130)
        }
    }

    /// Label accuracy and sharpness of each snapshot (metrics.csv), judged by the digit classifier:
    /// MNIST runs only. Without the shipped weights the run goes on unmeasured, unless the user
    /// named a classifier file.
    func snapshotMeasure(_ data: Dataset, dataset: String, quiet: Bool) throws -> TrainingSession.SnapshotMeasure? {
        guard DatasetKind(rawValue: dataset) == .mnist else { return nil }
        let classifier: Classifier
        do { classifier = try classifierOptions.load() } catch {
            if classifierOptions.isExplicit { throw error }
            Terminal.info("note: \(error); snapshots are not measured (no metrics.csv)", quiet: quiet)
            return nil
        }
        let metrics = SnapshotMetrics(classifier: classifier, test: data.test)
        return TrainingSession.SnapshotMeasure(names: SnapshotMetrics.names, measure: metrics.measure)
    }
}
