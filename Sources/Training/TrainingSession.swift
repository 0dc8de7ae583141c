import Datasets
import Foundation
import RunFolder
import RunModel
import Tensor
import VAEGAN

/// Training and recording in one run directory: the loop of docs/MODEL.md §5, a snapshot on each
/// saved period, a loss row per iteration, checkpoints. Started fresh or resumed from the last
/// checkpoint, it produces the same files as a run that never stopped.
public final class TrainingSession {
    public let run: RunDirectory
    public let config: RunConfig
    public let trainer: Trainer
    let recorder: Recorder
    let losses: CSVLog
    let metrics: (log: CSVLog, measure: SnapshotMeasure)?
    let lockDescriptor: Int32
    /// The iteration the session started from (0 for a fresh run).
    public let startIteration: Int

    /// Progress after each iteration.
    public struct Progress {
        public let log: IterationLog
        public let snapshots: Int
        public let iterationsDone: Int
        public let iterationsTotal: Int
        let kind: ModelKind

        /// The terminal's progress line, given the rate and the ETA the caller measured.
        public func line(rate: Double, eta: String) -> String {
            let gan = log.gan.isNaN ? "" : String(format: " L_GAN %.3f", log.gan)
            return String(
                format: "iter %d/%d  %.2f it/s  ETA %@  L_prior %.4f  %@ %.3f%@  D/G steps %d/%d  snapshots %d",
                iterationsDone, iterationsTotal, rate, eta, log.prior, kind == .cvae ? "L_rec" : "L_dis_llike",
                log.reconstruction, gan, log.discriminatorSteps, log.generatorSteps, snapshots)
        }
    }

    public enum Outcome: Equatable {
        case finished
        case interrupted(atIteration: Int)
    }

    /// Numbers measured on each snapshot (label accuracy, sharpness), written to metrics.csv:
    /// `measure` gets each label's manifold cells as decoded ([225, 28, 28, 1] floats).
    public struct SnapshotMeasure {
        public let names: [String]
        public let measure: ([Tensor]) -> [Double]
        public init(names: [String], measure: @escaping ([Tensor]) -> [Double]) {
            self.names = names; self.measure = measure
        }
    }

    /// What a resume had to give up to go on (`keepIntactSnapshots`), for the caller to say.
    public private(set) var dropped: String?

    /// Open (or create) the run. `config` is what to train: for a resumed run, the caller passes
    /// the config read from the directory (possibly with more iterations). A resume over a
    /// recording that lost snapshots from before the checkpoint is refused, unless
    /// `keepIntactSnapshots`: then the intact ones are kept, the rest dropped, and `dropped` says so.
    public init(
        run: RunDirectory, config: RunConfig, dataset: Dataset, resume: Bool, keepIntactSnapshots: Bool = false,
        measure: SnapshotMeasure? = nil
    ) throws {
        self.run = run
        self.config = config
        if let problem = dataset.labelProblem(config.data) {
            throw RunError.invalid(file: config.dataDirectory, problem: problem)
        }
        if resume {
            guard run.holdsRun else { throw RunError.nothingToResume(folder: run.path) }
        } else {
            try run.checkFreeForNewRun()
            try run.create()
        }
        let lock = try run.lock()
        var opened = false
        defer { if !opened { close(lock) } }  // an init that throws runs no deinit: release the lock here
        lockDescriptor = lock
        recorder = Recorder(test: dataset.test, data: config.data, keepsDecoders: config.recordDecoders)
        losses = LossLog.open(path: run.lossesPath)
        metrics = measure.map {
            (CSVLog(path: run.metricsPath, header: (["iteration", "period"] + $0.names).joined(separator: ",")), $0)
        }
        let hasCheckpoint = FileManager.default.fileExists(atPath: run.checkpointPath)
        if resume && !hasCheckpoint { try Self.refuseToStartOver(run) }
        if resume && hasCheckpoint {
            trainer = try Checkpoint.load(path: run.checkpointPath, config: config, data: dataset.train)
            try Self.checkAgainstLossLog(trainer, run: run)
        } else {
            var rng = RNG(seed: config.seed, stream: 0)
            let weights = ModelWeights(latentDim: config.model.latentDim, data: config.data, rng: &rng)
            trainer = Trainer(
                config: config.model, weights: weights, data: dataset.train, batchSize: config.batchSize,
                seed: config.seed)
        }
        startIteration = trainer.iteration
        lastCheckpoint = trainer.iteration
        try config.write(to: run.path)
        // A new run's first checkpoint, so that a run stopped before its next one resumes, and a
        // missing checkpoint always means a damaged run (`refuseToStartOver`).
        if !resume { try Checkpoint.save(trainer, to: run.checkpointPath) }
        try prepareRecording(keepIntact: keepIntactSnapshots)
        try losses.rewind(to: trainer.iteration)
        try metrics?.log.rewind(to: trainer.iteration)
        // The checkpoint it starts from is one the run passes through (where the schedule has one
        // there): kept too, so that a resume keeps what an unbroken run keeps.
        try keepWeights(unlessKept: true)
        opened = true
    }

    deinit { close(lockDescriptor) }

    /// --resume of a run whose checkpoint is gone would train from iteration 0 and cut its
    /// recording and logs back to nothing: refused, naming the file, while the run has anything
    /// to lose (a snapshot or a loss row).
    static func refuseToStartOver(_ run: RunDirectory) throws {
        let recording = try? RecordingFile.read(path: run.recordingPath)
        let snapshots = recording?.snapshots.count ?? 0
        let unreadable = recording == nil && FileManager.default.fileExists(atPath: run.recordingPath)
        let losses = (try? LossLog.read(path: run.lossesPath))?.count ?? 0
        guard snapshots > 0 || losses > 0 || unreadable else { return }
        throw RunError.missing(
            file: run.checkpointPath,
            what: "is missing, so --resume would start over and drop the run's \(snapshots) snapshots and "
                + "\(losses) loss rows; to train anew, give another --run folder")
    }

    /// A checkpoint's header against the loss log written before it. Loss rows reach their file
    /// before each checkpoint, so the log holds a row for every iteration the checkpoint claims,
    /// and those rows' D and G steps say how many batches the data iterator handed out: the
    /// position the checkpoint must hold. A changed header or a cut log disagree, and --resume
    /// stops rather than train on from a gap.
    static func checkAgainstLossLog(_ trainer: Trainer, run: RunDirectory) throws {
        let n = trainer.iteration
        func refuse(_ why: String) -> RunError {
            .invalid(
                file: run.checkpointPath,
                problem: "says iteration \(n), but \(why); the two disagree, so --resume stops here")
        }
        let rows = ((try? LossLog.read(path: run.lossesPath)) ?? []).prefix(n)
        guard rows.count == n else { throw refuse("losses.csv holds \(rows.count) rows") }
        var taken = 0
        for (i, row) in rows.enumerated() {
            guard row.iteration == i else { throw refuse("losses.csv has no row for iteration \(i)") }
            switch trainer.config.kind {
            case .cvae: taken += 1
            case .cvaeGAN:
                guard let gan = row.gan, (1...Balancing.maxSteps).contains(row.dSteps),
                    (1...Balancing.maxSteps).contains(row.gSteps)
                else { throw refuse("losses.csv's row for iteration \(i) is not one of this model's") }
                taken += Balancing.batchesTaken(
                    discriminatorSteps: row.dSteps, generatorSteps: row.gSteps, lastGAN: Float(gan))
            }
        }
        let b = trainer.batches
        let expected = BatchIterator.position(after: taken, batchesPerEpoch: b.batchesPerEpoch)
        guard expected == (b.epoch, b.nextBatch) else {
            throw refuse(
                "its data position (epoch \(b.epoch), batch \(b.nextBatch)) is not where the \(n) iterations of "
                    + "losses.csv leave it (epoch \(expected.epoch), batch \(expected.nextBatch))")
        }
    }

    /// Keep the snapshots taken before the checkpoint; the run takes the later ones again. A
    /// recording that cannot be read, or whose damage cost snapshots from before the checkpoint,
    /// is refused: resuming would drop them. With `keepIntact`, every intact one is kept, only the
    /// damaged records are dropped, the file as it was is kept aside (`recording.vgr.damaged`),
    /// and `dropped` says which periods go. Periods missing without damage (dropped so by an
    /// earlier resume) stay missing: nothing of them is left to lose.
    func prepareRecording(keepIntact: Bool) throws {
        let path = run.recordingPath
        guard FileManager.default.fileExists(atPath: path) else { return try RecordingFile.create(path: path) }
        let contents = try RecordingFile.read(path: path)
        let expected = config.schedule.snapshotCount(iterations: trainer.iteration)
        let intact = contents.snapshots.prefix { $0.iteration < trainer.iteration }.count
        let cut = intact == 0 ? RecordingFile.header.count : contents.recordEnds[intact - 1]
        // Damage after the kept records can have held one of them only where the last period
        // taken before the checkpoint is not among them.
        let lastExpected = SnapshotSchedule.savedPeriods.prefix(expected).last
        let damagedBefore = contents.damaged.contains { $0.offset < cut }
        let damagedAfter = contents.damaged.contains { $0.offset >= cut }
        let lost =
            intact < expected
            && (damagedBefore || damagedAfter && contents.snapshots.prefix(intact).last?.period != lastExpected)
        guard lost || damagedBefore else {
            return try RecordingFile.truncate(path: path, to: cut)
        }
        let damage = contents.problem.map { ": " + $0 } ?? ""
        if lost && !keepIntact {
            throw RunError.invalid(
                file: path,
                problem: "holds \(intact) intact snapshots of the \(expected) taken before the checkpoint (iteration "
                    + "\(trainer.iteration))\(damage); --resume would drop the rest, so it stops here (move the "
                    + "recording aside, or add --keep-intact-snapshots to go on without them)")
        }
        let aside = try RecordingFile.keepAside(path: path)
        try RecordingFile.rewrite(
            path: path, keeping: (0..<intact).map { (contents.recordStarts[$0], contents.recordEnds[$0]) })
        let kept = Set(contents.snapshots.prefix(intact).map(\.period))
        let missing = SnapshotSchedule.savedPeriods.prefix(expected).filter { !kept.contains($0) }
        let records = contents.damaged.count
        dropped =
            "\(path): keeping its \(intact) intact snapshots of the \(expected) taken before the checkpoint (iteration "
            + "\(trainer.iteration)) and dropping \(records == 1 ? "the damaged record" : "its \(records) damaged stretches")"
            + "\(damage); "
            + (missing.isEmpty ? "" : "\(RecordingFile.periodsText(missing)) will be missing from the films; ")
            + "the file as it was is kept as \(aside) until you remove it"
    }

    /// What the session is about to train, in one line.
    public var summary: String {
        let variant = config.model.kind == .cvaeGAN ? "\(config.model.variant.rawValue), " : ""
        return "training \(config.model.kind.rawValue) (\(variant)latent \(config.model.latentDim)) in \(run.path): "
            + "iterations \(startIteration)..<\(config.iterations), seed \(config.seed)"
    }

    public var snapshotsTaken: Int { config.schedule.snapshotCount(iterations: trainer.iteration) }

    /// Train until `config.iterations` or until `shouldStop` says so (checked between iterations).
    /// A failure (a full disk, say) is thrown as `RunError.stopped`, naming the checkpoint kept.
    /// Loss and metric rows reach their files at every snapshot and checkpoint, and progress.json
    /// says where the run stands, so that another process can follow it. The session's wall time
    /// goes to sessions.csv however it ends (short of a SIGKILL).
    public func run(shouldStop: () -> Bool = { false }, progress: (Progress) -> Void = { _ in }) throws -> Outcome {
        let started = Date()
        defer {
            try? SessionLog.append(
                SessionLog.Session(
                    started: ISO8601DateFormatter().string(from: started), fromIteration: startIteration,
                    toIteration: lastCheckpoint,
                    seconds: Date().timeIntervalSince(started), threads: config.threads,
                    program: ProgramVersion.description,
                    kernels: SessionLog.Kernels(KernelChoice.current(precision: config.model.precision))), to: run)
        }
        let watch = ProgressWriter(session: self)
        var last: IterationLog?
        do {
            while trainer.iteration < config.iterations {
                if shouldStop() {
                    try checkpoint()
                    watch.write(last, state: .stopped)
                    return .interrupted(atIteration: trainer.iteration)
                }
                let log = trainer.runIteration()
                last = log
                guard log.isFinite, trainer.weights.names.allSatisfy({ trainer.weights[$0].value.isFinite }) else {
                    throw RunError.diverged(folder: run.path, iteration: log.iteration, checkpoint: lastCheckpoint)
                }
                LossLog.append(
                    losses, iteration: log.iteration, dSteps: log.discriminatorSteps, gSteps: log.generatorSteps,
                    prior: log.prior, reconstruction: log.reconstruction, gan: log.gan)
                var snapshotTaken = false
                if let period = config.schedule.period(atIteration: log.iteration) {
                    let (s, cells) = recorder.snapshot(
                        weights: trainer.weights, config: config.model, period: period, iteration: log.iteration)
                    try RecordingFile.append(s, path: run.recordingPath)
                    if let (log, m) = metrics {
                        log.append(
                            ["\(s.iteration)", "\(period)"] + m.measure(cells).map { String(format: "%.6f", $0) })
                    }
                    try flushLogs()
                    snapshotTaken = true
                }
                if trainer.iteration % config.checkpointEvery == 0 || trainer.iteration == config.iterations {
                    try checkpoint()
                }
                watch.write(
                    log, state: trainer.iteration == config.iterations ? .finished : .training, now: snapshotTaken)
                progress(
                    Progress(
                        log: log, snapshots: snapshotsTaken, iterationsDone: trainer.iteration,
                        iterationsTotal: config.iterations,
                        kind: config.model.kind))
            }
        } catch {
            watch.write(last, state: .stopped)
            // The last good checkpoint is kept; nothing to resume into.
            if case RunError.diverged = error { throw error }
            throw RunError.stopped(folder: run.path, cause: "\(error)", checkpoint: lastCheckpoint)
        }
        return .finished
    }

    /// The iteration of the last checkpoint written (or resumed from).
    public private(set) var lastCheckpoint = 0

    /// Loss rows first, then the checkpoint (atomically): a crash between the two loses nothing,
    /// since a resume rewinds the log to the checkpoint.
    public func checkpoint() throws {
        try flushLogs()
        try Checkpoint.save(trainer, to: run.checkpointPath)
        lastCheckpoint = trainer.iteration
        try keepWeights()
    }

    /// Whether the checkpoint at `iteration` is one of the schedule's (every `checkpointEvery`
    /// iterations, and the run's last): those are the ones kept, so that where a run was stopped
    /// changes nothing of what it keeps.
    func isScheduledCheckpoint(_ iteration: Int) -> Bool {
        iteration % config.checkpointEvery == 0 || iteration == config.iterations
    }

    /// With `--keep-checkpoints K`: the trainer's weights kept in `checkpoints/` when this is a
    /// scheduled checkpoint, then all but the last K kept files removed. Written after the
    /// checkpoint itself and read from nothing the run computes with, so the run's own files are
    /// the same bytes with or without it.
    func keepWeights(unlessKept: Bool = false) throws {
        let count = config.keepCheckpoints
        guard count > 0, isScheduledCheckpoint(trainer.iteration) else { return }
        let path = run.keptCheckpointPath(iteration: trainer.iteration)
        if !(unlessKept && FileManager.default.fileExists(atPath: path)) {
            try KeptCheckpoints.createFolder(run)
            try Checkpoint.saveWeights(trainer, to: path)
        }
        try KeptCheckpoints.prune(run, keeping: count)
    }

    func flushLogs() throws {
        try losses.flush()
        try metrics?.log.flush()
    }
}

/// Rewrites the run's progress.json: at most twice a second, and whenever asked to at once.
/// A file that cannot be written only costs the live view, never the run.
final class ProgressWriter {
    unowned let session: TrainingSession
    let started = Date()
    var lastWrite = Date.distantPast

    init(session: TrainingSession) { self.session = session }

    func write(_ log: IterationLog?, state: TrainingProgress.State, now: Bool = true) {
        let clock = Date()
        guard now || state != .training || clock.timeIntervalSince(lastWrite) >= 0.5 else { return }
        lastWrite = clock
        let done = session.trainer.iteration - session.startIteration
        let p = TrainingProgress(
            state: state, pid: getpid(), iteration: session.trainer.iteration, total: session.config.iterations,
            startIteration: session.startIteration,
            iterationsPerSecond: done > 0 ? Double(done) / clock.timeIntervalSince(started) : 0,
            snapshots: session.snapshotsTaken, prior: log.map { Double($0.prior) },
            reconstruction: log.map { Double($0.reconstruction) },
            gan: log.flatMap { $0.gan.isNaN ? nil : Double($0.gan) }, updated: clock.timeIntervalSince1970)
        try? p.write(to: session.run)
    }
}
