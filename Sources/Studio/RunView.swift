import Console
import Datasets
import Foundation
import RunFolder
import RunModel
import RunPictures
import VAEGAN

/// What the studio shows of a run folder, read from its files only: the settings, where training
/// stands, the latest snapshot, the loss curves and the report's pictures. Another process may be
/// writing the folder; every file is read as it stands (the recording is followed record by
/// record, logs skip a torn last line, the rest is replaced by rename) and re-read only when its
/// size or modification time changes.
final class RunView: @unchecked Sendable {
    let dir: RunDirectory
    let redact: Redaction
    let reportFolder: String
    private let lock = NSLock()
    private let follower: RecordingFollower
    private var cachedKey = ""
    private var cachedState = Data()
    private var reportKey = ""
    private var reportMedia: [Answer.State.ReportItem] = []

    /// The article model that draws while the run has no checkpoint (nil when the studio has no
    /// stand-in).
    let article: (iteration: Int, latentDim: Int)?
    /// How many classes the studio's classifier tells apart (nil without one).
    let classifierClassCount: Int?

    /// Where the files are read: never on the server's threads, one reader at a time.
    private let files = DispatchQueue(label: "vaegan-render.studio.files")

    /// Run `body` on the file queue (every read of the run folder goes there).
    func onFiles<R: Sendable>(_ body: @escaping @Sendable (RunView) -> R) async -> R {
        await withCheckedContinuation { continuation in files.async { continuation.resume(returning: body(self)) } }
    }

    init(dir: RunDirectory, article: (iteration: Int, latentDim: Int)? = nil, classifierClassCount: Int? = nil) {
        self.dir = dir
        self.classifierClassCount = classifierClassCount
        redact = Redaction(dir)
        self.article = article
        reportFolder = RunPictures.reportPath(dir)
        follower = RecordingFollower(path: dir.recordingPath)
    }

    /// The files whose change changes the state, as one string of their sizes and times.
    func fingerprint() -> String {
        [
            dir.configPath, dir.recordingPath, dir.lossesPath, dir.checkpointPath, dir.progressPath, dir.evaluationPath,
            reportFolder + "/" + RunPictures.pageName
        ].map(Self.stamp).joined(separator: "|")
    }

    static func stamp(_ path: String) -> String {
        var s = stat()
        guard stat(path, &s) == 0 else { return "-" }
        return "\(s.st_size).\(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec)"
    }

    /// config.json as the studio serves it: the data folder (and the user's own data) by its last
    /// name only, since no answer
    /// names a path of the user's machine. Nil when the file cannot be read as a run's settings.
    func servedConfig() -> Data? {
        guard var config = try? RunConfig.read(from: dir.path) else { return nil }
        config.dataDirectory = (config.dataDirectory as NSString).lastPathComponent
        config.dataSource = config.dataSource.map { ($0 as NSString).lastPathComponent }
        return try? config.encoded()
    }

    /// The latent size of the model that draws: the run's, the article model's, or the default.
    var latentDim: Int {
        (try? RunConfig.read(from: dir.path))?.model.latentDim ?? article?.latentDim ?? ModelConfig.defaultLatentDim
    }

    /// The latest snapshot's grids, as the recording holds them (nil before the first snapshot).
    func latestSnapshot() -> Snapshot? {
        _ = state()
        return lock.withLock { follower.latest }
    }

    /// The state as JSON, recomputed only when a file changed.
    func state() -> Data {
        let key = fingerprint()
        return lock.withLock {
            if key != cachedKey {
                cachedState = Answer.json(compute())
                cachedKey = key
            }
            return cachedState
        }
    }

    private func compute() -> Answer.State {
        var out = Answer.State(run: redact.name)
        var problems: [String] = []
        if let article, !FileManager.default.fileExists(atPath: dir.checkpointPath) {
            out.articleModel = .init(
                iteration: article.iteration, latentDim: article.latentDim, file: ArticleModel.fileName)
            out.canRead = classifierClassCount == DataDescription.digits.classes.count  // the article model's
        }
        guard dir.holdsRun else {
            out.waiting = "no run in \(redact.name) yet: start vaegan-render train-and-record --run \(redact.name)"
            return out
        }
        let config: RunConfig
        do { config = try RunConfig.read(from: dir.path) } catch {
            out.problems = [redact("\(error)")]
            return out
        }
        let m = config.model
        out.config = .init(
            model: m.kind.rawValue, variant: m.variant.rawValue, latentDim: m.latentDim, iterations: config.iterations,
            preset: config.preset ?? "", seed: "\(config.seed)", batchSize: config.batchSize,
            iterationsPerPeriod: config.iterationsPerPeriod, dataset: config.dataset.rawValue,
            classNames: config.data.classes.names, side: config.data.side, channels: config.data.channels,
            fitting: config.fitting)
        if out.articleModel == nil { out.canRead = classifierClassCount == m.data.classes.count }
        if let p = TrainingProgress.read(dir) {
            out.training = .init(
                live: p.isLive,
                state: p.isLive ? p.state.rawValue : (p.state == .training ? "stopped" : p.state.rawValue),
                iteration: p.iteration, total: p.total, rate: p.iterationsPerSecond, snapshots: p.snapshots,
                updated: p.updated, eta: p.isLive ? p.etaSeconds.map(durationText) : nil)
        }
        do {
            try follower.poll()
            if let s = follower.latest {
                out.snapshot = .init(
                    iteration: s.iteration, period: s.period, count: follower.count, gridSize: s.gridSize)
            }
        } catch { problems.append(redact("\(error)")) }
        if FileManager.default.fileExists(atPath: dir.checkpointPath) {
            out.checkpoint = .init(stamp: Self.stamp(dir.checkpointPath))
        }
        if let rows = try? LossLog.read(path: dir.lossesPath), !rows.isEmpty {
            // At most about 600 points a curve: every k-th row, and always the last.
            let step = max(1, rows.count / 600)
            var picked = stride(from: 0, to: rows.count, by: step).map { rows[$0] }
            if picked.last?.iteration != rows.last!.iteration { picked.append(rows.last!) }
            out.losses = .init(
                iteration: picked.map(\.iteration), prior: picked.map { Double($0.prior) },
                reconstruction: picked.map { Double($0.reconstruction) },
                gan: m.kind == .cvaeGAN ? picked.map { Double($0.gan ?? 0) } : nil)
        }
        out.report = reportItems()
        if !problems.isEmpty { out.problems = problems }
        return out
    }

    /// The report's films and pictures that exist, in the report's order (`RunPictures`, its one
    /// list of a run's pictures), as paths under the run folder. Rebuilt when the report page
    /// changes; no model is loaded for it.
    private func reportItems() -> [Answer.State.ReportItem] {
        let key = Self.stamp(reportFolder + "/" + RunPictures.pageName)
        guard key != reportKey else { return reportMedia }
        reportKey = key
        let pictures = key == "-" ? [] : RunPictures.all(in: dir)
        reportMedia = pictures.filter {
            FileManager.default.fileExists(atPath: reportFolder + "/" + $0.file)
        }
        .map {
            .init(
                file: RunPictures.folderName + "/" + $0.file, caption: $0.caption, alt: $0.alt,
                section: $0.section.rawValue)
        }
        return reportMedia
    }
}
