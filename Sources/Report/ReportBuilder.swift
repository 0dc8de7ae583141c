import AtomicIO
import Browser
import Console
import Datasets
import Evaluation
import Films
import Foundation
import RunFolder
import RunModel
import RunPictures
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
    /// The digit classifier the page's draw-a-digit reads drawings with (without one, the user
    /// names the label).
    public let classifier: Classifier?

    public init(
        recorded: RecordedRun, folder: String, dataDirectory: String?, threads: Int, program: String,
        classifier: Classifier? = nil, log: @escaping (String) -> Void = { _ in }
    ) {
        self.recorded = recorded; self.folder = folder; self.dataDirectory = dataDirectory
        self.threads = threads; self.program = program; self.classifier = classifier; self.log = log
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

    /// The run's pictures (`RunPictures`), as its files stand.
    public var pictures: [RunPicture] {
        RunPictures.all(
            hasMetrics: hasMetrics, hasCheckpoint: hasCheckpoint, isMNIST: config.dataset == .mnist,
            data: config.data)
    }

    /// Every file the page shows but the manifold films (rendered together, one per core), each
    /// with how it is drawn.
    public func items() -> [Item] {
        let films = RunFilms(recorded, threads: threads)
        return pictures.compactMap { picture in
            let draw: (String) throws -> Void
            switch picture.kind {
            case .manifoldFilm: return nil
            case .panelFilm: draw = { try films.panel(to: $0) }
            case .walkFilm:
                draw = { try films.write(.walk(labels: Array(config.data.classes.labels)), to: $0, model: model) }
            case .styleTransfer, .articleStyleTransfer:
                draw = {
                    try Pictures.sheet(picture.kind, try model().inference, test: try testDigits())!.writePNG(to: $0)
                }
            case .reconstructions: draw = { try Pictures.reconstructions(last).writePNG(to: $0) }
            case .zScatter(let label):
                draw = { try Pictures.zScatter(last, labels: [label], data: config.data).writePNG(to: $0) }
            case .losses: draw = { try Pictures.losses(run, config: config).writePNG(to: $0) }
            case .metrics: draw = { try Pictures.metrics(run, config: config).writePNG(to: $0) }
            }
            return Item(file: picture.file, sources: [picture.sourcePath(in: run)], make: draw)
        }
    }

    /// Loaded once, for the walk and the ten style-transfer sheets.
    private let cache = Cache()
    final class Cache { var model: LatestModel?; var test: DigitSet? }

    func model() throws -> LatestModel {
        if cache.model == nil { cache.model = try recorded.latestModel() }
        return cache.model!
    }

    /// The test digits, loaded once: for the sheets and the explorer's axes.
    func testDigits() throws -> DigitSet {
        if cache.test == nil { cache.test = try Dataset.load(directory: dataDirectory ?? config.dataDirectory).test }
        return cache.test!
    }

    /// The report's folder exists (created if need be) and can be written.
    public static func prepare(folder: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw AtomicFile.WriteError(path: folder, problem: "--out names a file, not a folder")
            }
        } else {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw AtomicFile.WriteError(
                    path: folder,
                    problem: "cannot create the report folder (\((error as NSError).localizedDescription))"
                )
            }
        }
        guard access(folder, W_OK) == 0 else {
            throw AtomicFile.WriteError(path: folder, problem: "report folder is not writable")
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

    /// Render what is stale, then write the page. Returns the page's path and how many files
    /// were rendered.
    public func write() throws -> (page: String, rendered: Int) {
        let rendered = try renderStale()
        try page().write(toFolder: folder)
        return ((folder as NSString).appendingPathComponent(ReportPage.fileName), rendered)
    }

    public func renderStale() throws -> Int {
        var made = 0
        let staleFilms = pictures.compactMap { picture -> Int? in
            guard case .manifoldFilm(let label) = picture.kind,
                !isUpToDate(picture.file, sources: [picture.sourcePath(in: run)])
            else { return nil }
            return label
        }
        if !staleFilms.isEmpty {
            log("rendering \(staleFilms.count) manifold film\(staleFilms.count == 1 ? "" : "s")")
            try RunFilms(recorded, threads: threads).manifolds(
                into: folder, labels: staleFilms, fps: Film.snapshotFPS)
            made += staleFilms.count
        }
        for item in items() where !isUpToDate(item.file, sources: item.sources) {
            log("rendering \(item.file)")
            try item.make(path(item.file))
            made += 1
        }
        let webFiles = [WebModel.weightsFile, WebModel.scriptFile, WebModel.explorerFile]
        if hasCheckpoint, !webFiles.allSatisfy({ isUpToDate($0, sources: [run.checkpointPath]) }) {
            log("writing the page's model (\(webFiles.joined(separator: ", ")))")
            try WebModel.write(
                try model(), classifier: classifier, madeBy: "report of \(run.path)", fitting: config.fitting,
                to: folder)
            made += webFiles.count
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
            ("dataset", config.dataSource.map { "\($0) (your own data)" } ?? config.dataset.rawValue),
            ("classes", config.data.shownNames?.joined(separator: ", ") ?? "\(config.data.classes.count)"),
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
                    + (recorded.missingPeriods.isEmpty
                        ? "" : "; \(RecordingFile.periodsText(recorded.missingPeriods)) missing, skipped by the films")
            ),
            ("threads", "\(config.threads)"),
            ("time trained", trained),
            ("trained by", sessions.last?.program ?? "not recorded"),
            ("kernels", sessions.last.flatMap { $0.kernels.text(threads: $0.threads) } ?? "not recorded")
        ]

        let shown = pictures
        func media(_ section: RunPicture.Section) -> [Media] {
            shown.filter { $0.section == section }.map(Media.init)
        }
        /// The introduction of each gallery, and its columns' width.
        let galleryLayout: [(RunPicture.Section, intro: String, columnWidth: Int)] = [
            (
                .styleTransfer,
                "Ten test images of one label (the input row), encoded, and decoded with every label: each column should keep its image's style.",
                300
            ),
            (
                .reconstructions,
                "Test digits over dec(z_mean(x), y) at the last snapshot (iteration \(last.iteration)).", 600
            ),
            (.latentSpace, "z_mean (dims 0 and 1) of 100 test digits of each label at the last snapshot.", 220),
            (.curves, "From losses.csv and metrics.csv.", 420)
        ]
        let galleries = galleryLayout.compactMap { section, intro, width -> ReportPage.Gallery? in
            let images = media(section)
            return images.isEmpty
                ? nil : .init(title: section.rawValue, intro: intro, images: images, columnWidth: width)
        }

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
        var page = ReportPage(
            title: "vaegan-render report: \((run.path as NSString).lastPathComponent)",
            settings: settings, manifoldFilms: media(.manifoldFilms),
            snapshotIterations: recorded.snapshots.map(\.iteration),
            fps: Film.snapshotFPS,
            otherFilms: media(.films), galleries: galleries, evaluation: evaluation.map(Self.rows),
            evaluationNote: note,
            footer: "Written by \(program) on \(ISO8601DateFormatter().string(from: Date())).")
        if hasCheckpoint {
            // The explorer's pad starts on the two dimensions that carry the most for 7s (LatentAxes),
            // or for label 0 of a set of fewer classes.
            let label = config.data.classes.count > 7 ? 7 : 0
            let axes = LatentAxes.widest(try model().inference, test: try testDigits(), label: label)
            page.explorerAxes = (axes.column, axes.row)
        }
        return page
    }

    public static func rows(_ e: EvaluationRecord) -> [(name: String, value: String, meaning: String)] {
        Measure.shown(in: e.report).map { ($0.name, $0.value(in: e.report), $0.meaning) }
    }
}
