import AtomicIO
import Canvas
import Evaluation
import Films
import Foundation
import MNIST
import RunFolder
import RunModel
import VAEGAN

/// What goes into a run's report, which of its files are out of date, and the page.
public struct ReportBuilder {
    public let recorded: RecordedRun
    /// Where the report's files go.
    public let folder: String
    /// Where the test digits are, when not where config.json says.
    public let dataDirectory: String?
    public let threads: Int
    /// Told each file as it is rendered.
    public let log: (String) -> Void
    /// The program that writes the page, for its footer.
    public let program: String

    public init(
        recorded: RecordedRun, folder: String, dataDirectory: String?, threads: Int, program: String,
        log: @escaping (String) -> Void = { _ in }
    ) {
        self.recorded = recorded; self.folder = folder; self.dataDirectory = dataDirectory
        self.threads = threads; self.program = program; self.log = log
    }

    var run: RunDirectory { recorded.directory }
    var config: RunConfig { recorded.config }
    var last: Snapshot { recorded.snapshots.last! }
    var hasMetrics: Bool { FileManager.default.fileExists(atPath: run.metricsPath) }
    var hasCheckpoint: Bool { FileManager.default.fileExists(atPath: run.checkpointPath) }

    /// One file of the report: where it is drawn from, and how.
    public struct Item {
        public let file: String
        public let sources: [String]
        let make: (String) throws -> Void
    }

    public func path(_ file: String) -> String { (folder as NSString).appendingPathComponent(file) }

    /// Every file the page shows but the manifold films (rendered together, one per core).
    public func items() -> [Item] {
        let films = Films(snapshots: recorded.snapshots, threads: threads)
        var items = [
            Item(file: Film.panel.fileName, sources: [run.recordingPath]) { try films.panel(to: $0) },
            Item(file: "reconstructions.png", sources: [run.recordingPath]) {
                try Pictures.reconstructions(last).writePNG(to: $0)
            },
            Item(file: "losses.png", sources: [run.lossesPath]) {
                try Pictures.losses(run, config: config).writePNG(to: $0)
            }
        ]
        if hasMetrics {
            items.append(
                Item(file: "metrics.png", sources: [run.metricsPath]) {
                    try Pictures.metrics(run, config: config).writePNG(to: $0)
                })
        }
        items += Digit.labels.map { label in
            Item(file: "z_scatter_\(label).png", sources: [run.recordingPath]) {
                try Pictures.zScatter(last, labels: [label]).writePNG(to: $0)
            }
        }
        if hasCheckpoint {
            items.append(
                Item(file: Film.walk(labels: []).fileName, sources: [run.checkpointPath]) {
                    try Films.walk(try model(), labels: Array(Digit.labels), to: $0)
                })
            items += Digit.labels.map { label in
                Item(file: "style_transfer_\(label).png", sources: [run.checkpointPath]) {
                    try styleTransfer(label).writePNG(to: $0)
                }
            }
        }
        return items
    }

    /// Loaded once, for the walk and the ten style-transfer sheets.
    private let cache = Cache()
    final class Cache { var model: LatestModel?; var test: DigitSet? }

    func model() throws -> LatestModel {
        if cache.model == nil { cache.model = try recorded.latestModel() }
        return cache.model!
    }

    func styleTransfer(_ label: Int) throws -> Surface {
        if cache.test == nil { cache.test = try Dataset.load(directory: dataDirectory ?? config.dataDirectory).test }
        return Pictures.styleTransfer(try model().inference, test: cache.test!, source: label)
    }

    /// The report's folder exists (created if need be) and can be written.
    public static func prepare(folder: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw AtomicFile.WriteError(path: folder, reason: "--out names a file, not a folder")
            }
        } else {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw AtomicFile.WriteError(
                    path: folder, reason: "cannot create the report folder (\((error as NSError).localizedDescription))"
                )
            }
        }
        guard access(folder, W_OK) == 0 else {
            throw AtomicFile.WriteError(path: folder, reason: "report folder is not writable")
        }
    }

    /// Whether `file` exists and is no older than each of `sources`.
    public func isUpToDate(_ file: String, sources: [String]) -> Bool {
        guard let made = modified(path(file)) else { return false }
        return sources.allSatisfy { (modified($0) ?? .distantFuture) <= made }
    }

    func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// Render what is missing or stale; returns how many files were written.
    /// Render what is stale, then write the page. Returns the page's path and how many files
    /// were rendered.
    public func write() throws -> (page: String, rendered: Int) {
        let rendered = try renderStale()
        try page().write(toFolder: folder)
        return ((folder as NSString).appendingPathComponent(ReportPage.fileName), rendered)
    }

    public func renderStale() throws -> Int {
        var made = 0
        let staleFilms = Digit.labels.filter {
            !isUpToDate(Film.manifold(label: $0).fileName, sources: [run.recordingPath])
        }
        if !staleFilms.isEmpty {
            log("rendering \(staleFilms.count) manifold film\(staleFilms.count == 1 ? "" : "s")")
            try Films(snapshots: recorded.snapshots, threads: threads).manifolds(
                into: folder, labels: staleFilms, fps: Film.snapshotFPS)
            made += staleFilms.count
        }
        for item in items() where !isUpToDate(item.file, sources: item.sources) {
            log("rendering \(item.file)")
            try item.make(path(item.file))
            made += 1
        }
        return made
    }

    public func page() throws -> ReportPage {
        typealias Media = ReportPage.Media
        let m = config.model
        let sessions = SessionLog.read(run)
        let trained =
            sessions.isEmpty
            ? "not recorded (trained before sessions.csv)"
            : durationText(sessions.map(\.seconds).reduce(0, +))
                + " in \(sessions.count) session\(sessions.count == 1 ? "" : "s")"
        let checkpointIteration = hasCheckpoint ? (try? model())?.iteration : nil
        var settings: [(name: String, value: String)] = [
            ("run", run.path),
            ("model", m.kind == .cvae ? "cvae (plain conditional VAE)" : "cvae-gan (conditional VAE+GAN)")
        ]
        if m.kind == .cvaeGAN { settings.append(("variant", m.variant.rawValue)) }
        settings += [
            ("preset", config.preset ?? "not recorded"),
            ("dataset", config.dataset),
            ("seed", "\(config.seed)"),
            (
                "iterations",
                "\(checkpointIteration.map { "\($0) trained" } ?? "none checkpointed") of \(config.iterations)"
            ),
            ("latent size", "\(m.latentDim)"),
            ("batch size", "\(config.batchSize)"),
            (
                "snapshots",
                "\(recorded.snapshots.count), one every \(config.iterationsPerPeriod) iterations per period"
                    + (recorded.skippedRecords > 0 ? " (\(recorded.skippedRecords) damaged records skipped)" : "")
            ),
            ("threads", "\(config.threads)"),
            ("time trained", trained),
            ("trained by", sessions.last?.program ?? "not recorded")
        ]

        let films = Digit.labels.map {
            Media(
                file: Film.manifold(label: $0).fileName, caption: "Label \($0)",
                alt: "Manifold film of label \($0): the 15x15 grid of decoded digits at each snapshot")
        }
        var others = [
            Media(
                file: Film.panel.fileName, caption: "All ten labels at each snapshot",
                alt: "Film of the ten manifold grids side by side, one frame per snapshot")
        ]
        if hasCheckpoint {
            others.append(
                Media(
                    file: Film.walk(labels: []).fileName,
                    caption:
                        "A closed loop through (z[0], z[1]) at iteration \(checkpointIteration ?? 0): one style, every label",
                    alt: "Latent walk film: the ten digits decoded from one latent code moving round a circle"))
        }

        var galleries: [ReportPage.Gallery] = []
        if hasCheckpoint {
            galleries.append(
                .init(
                    title: "Style transfer",
                    intro:
                        "Ten test digits of one label (the input row), encoded, and decoded with every label: each column should keep its digit's style.",
                    images: Digit.labels.map {
                        Media(
                            file: "style_transfer_\($0).png", caption: "From label \($0)",
                            alt: "Style-transfer sheet of test digits of label \($0) redrawn as every label")
                    },
                    columnWidth: 300))
        }
        galleries.append(
            .init(
                title: "Reconstructions",
                intro: "Test digits over dec(z_mean(x), y) at the last snapshot (iteration \(last.iteration)).",
                images: [
                    Media(
                        file: "reconstructions.png", caption: "Iteration \(last.iteration)",
                        alt: "Ten test digits above their reconstructions")
                ], columnWidth: 600))
        galleries.append(
            .init(
                title: "Latent space",
                intro: "z_mean (dims 0 and 1) of 100 test digits of each label at the last snapshot.",
                images: Digit.labels.map {
                    Media(
                        file: "z_scatter_\($0).png", caption: "Label \($0)",
                        alt: "Scatter of z_mean of test digits of label \($0)")
                },
                columnWidth: 220))
        var curves = [
            Media(
                file: "losses.png", caption: "Losses per iteration",
                alt: "Plot of L_prior, L_dis_llike and L_GAN over training")
        ]
        if hasMetrics {
            curves.append(
                Media(
                    file: "metrics.png", caption: "Label accuracy and sharpness of each snapshot",
                    alt: "Plot of the manifold grids' label accuracy and sharpness over training"))
        }
        galleries.append(
            .init(title: "Training curves", intro: "From losses.csv and metrics.csv.", images: curves, columnWidth: 420)
        )

        let evaluation = EvaluationRecord.read(run)
        let note: String
        switch (evaluation, checkpointIteration) {
        case (nil, _): note = "Not evaluated yet: run vaegan-render evaluate (or report --evaluate)."
        case (let e?, let c?) where e.iteration != c:
            note =
                "Evaluated at iteration \(e.iteration); the checkpoint is now at \(c): evaluate again for current numbers."
        case (let e?, _):
            note =
                "The checkpoint at iteration \(e.iteration), judged by the digit classifier on \(e.testDigits) test digits."
        }
        return ReportPage(
            title: "vaegan-render report: \((run.path as NSString).lastPathComponent)",
            settings: settings, manifoldFilms: films, snapshotIterations: recorded.snapshots.map(\.iteration),
            fps: Film.snapshotFPS,
            otherFilms: others, galleries: galleries, evaluation: evaluation.map(Self.rows), evaluationNote: note,
            footer: "Written by \(program) on \(ISO8601DateFormatter().string(from: Date())).")
    }

    public static func rows(_ e: EvaluationRecord) -> [(name: String, value: String, meaning: String)] {
        Measure.allCases.map { ($0.name, $0.value(in: e.report), $0.meaning) }
    }
}
