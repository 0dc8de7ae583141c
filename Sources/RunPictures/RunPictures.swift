import Datasets
import Films
import Foundation
import RunFolder
import RunModel

/// One film or picture of a run's report: its file, what it is drawn from, what it shows, and the
/// section of the page that shows it.
public struct RunPicture: Equatable, Sendable {
    /// What a picture shows, which says how `ReportBuilder` draws it.
    public enum Kind: Equatable, Sendable {
        case manifoldFilm(label: Int), panelFilm, walkFilm
        case styleTransfer(label: Int), articleStyleTransfer, reconstructions, zScatter(label: Int), losses, metrics
    }

    /// The run file a picture is drawn from: the picture is out of date once that file is newer.
    public enum Source: Equatable, Sendable { case recording, losses, metrics, checkpoint }

    /// The sections of the page, in its order.
    public enum Section: String, CaseIterable, Sendable {
        case manifoldFilms = "Manifold films", films = "Films", styleTransfer = "Style transfer"
        case reconstructions = "Reconstructions", latentSpace = "Latent space", curves = "Training curves"
    }

    public let kind: Kind
    public let file: String
    public let source: Source
    public let section: Section
    public let caption: String
    /// The text a reader without the picture gets.
    public let alt: String

    public static func manifoldFilm(_ label: Int, data: DataDescription) -> RunPicture {
        RunPicture(
            kind: .manifoldFilm(label: label), file: Film.manifold(label: label).fileName(data),
            source: .recording, section: .manifoldFilms, caption: "Label \(data.classes[label])",
            alt: "Manifold film of label \(data.classes[label]): the 15x15 grid of decoded images at each snapshot")
    }

    public static func panelFilm(_ data: DataDescription) -> RunPicture {
        RunPicture(
            kind: .panelFilm, file: Film.panel.fileName(data), source: .recording, section: .films,
            caption: "All \(data.classes.count) labels at each snapshot",
            alt: "Film of the \(data.classes.count) manifold grids side by side, one frame per snapshot")
    }

    public static func walkFilm(_ data: DataDescription) -> RunPicture {
        RunPicture(
            kind: .walkFilm, file: Film.walk(labels: []).fileName(data), source: .checkpoint, section: .films,
            caption: "A closed loop through (z[0], z[1]) with the latest weights: one style, every label",
            alt: "Latent walk film: the \(data.classes.count) labels decoded from one latent code moving round a circle"
        )
    }

    public static func styleTransfer(_ label: Int, data: DataDescription) -> RunPicture {
        RunPicture(
            kind: .styleTransfer(label: label), file: "style_transfer_\(data.classes.fileNames[label]).png",
            source: .checkpoint, section: .styleTransfer, caption: "From label \(data.classes[label])",
            alt: "Style-transfer sheet of test images of label \(data.classes[label]) redrawn as every label")
    }

    /// The article's style-transfer figure, like for like: the sheet drawn from the same ten test
    /// 7s as the article's (`ArticleModel.styleTransferInputs`), so the two can be laid side by side.
    public static let articleStyleTransfer: RunPicture = {
        let inputs = ArticleModel.styleTransferInputs
        return RunPicture(
            kind: .articleStyleTransfer, file: "style_transfer_\(inputs.label)_article.png", source: .checkpoint,
            section: .styleTransfer,
            caption: "From the article's ten \(inputs.label)s (MNIST test "
                + inputs.testIndices.map(String.init).joined(separator: ", ") + ")",
            alt: "Style-transfer sheet of the ten test digits of label \(inputs.label) that the article's figure "
                + "starts from, redrawn as every label")
    }()

    public static let reconstructions = RunPicture(
        kind: .reconstructions, file: "reconstructions.png", source: .recording, section: .reconstructions,
        caption: "At the last snapshot", alt: "A test image of each label above its reconstruction")

    public static func zScatter(_ label: Int, data: DataDescription) -> RunPicture {
        RunPicture(
            kind: .zScatter(label: label), file: "z_scatter_\(data.classes.fileNames[label]).png", source: .recording,
            section: .latentSpace, caption: "Label \(data.classes[label])",
            alt: "Scatter of z_mean of test images of label \(data.classes[label])")
    }

    public static let losses = RunPicture(
        kind: .losses, file: "losses.png", source: .losses, section: .curves, caption: "Losses per iteration",
        alt: "Plot of L_prior, L_dis_llike and L_GAN over training")

    public static let metrics = RunPicture(
        kind: .metrics, file: "metrics.png", source: .metrics, section: .curves,
        caption: "Label accuracy and sharpness of each snapshot",
        alt: "Plot of the manifold grids' label accuracy and sharpness over training")

    /// The run file this picture is drawn from.
    public func sourcePath(in run: RunDirectory) -> String {
        switch source {
        case .recording: return run.recordingPath
        case .losses: return run.lossesPath
        case .metrics: return run.metricsPath
        case .checkpoint: return run.checkpointPath
        }
    }
}

/// The one list of a run's report: every film and picture, in the page's order. `report` draws
/// and shows it, `export` names its files by it, and the studio lists it without loading a model.
public enum RunPictures {
    /// The report's folder in a run folder, unless `report --out` says otherwise.
    public static let folderName = "report"
    /// The report page's file in that folder.
    public static let pageName = "index.html"

    public static func reportPath(_ run: RunDirectory) -> String {
        (run.path as NSString).appendingPathComponent(folderName)
    }

    /// The classes whose films and sheets a report shows, one picture each: the first 16 (a page
    /// of 64 films reads as none; `render --all` and `export` make any class's).
    public static let shownClasses = 16

    /// What a run with these files shows: the pictures drawn from metrics.csv only with it, those
    /// drawn from the checkpoint only with one, and the sheet from the article's inputs only for a
    /// run of MNIST, whose test set holds them.
    public static func all(hasMetrics: Bool, hasCheckpoint: Bool, isMNIST: Bool, data: DataDescription)
        -> [RunPicture]
    {
        let shown = Array(data.classes.labels.prefix(shownClasses))
        var pictures = shown.map { RunPicture.manifoldFilm($0, data: data) } + [RunPicture.panelFilm(data)]
        if hasCheckpoint {
            pictures += [RunPicture.walkFilm(data)] + shown.map { RunPicture.styleTransfer($0, data: data) }
        }
        if hasCheckpoint && isMNIST { pictures.append(RunPicture.articleStyleTransfer) }
        pictures += [RunPicture.reconstructions] + shown.map { RunPicture.zScatter($0, data: data) }
        pictures.append(RunPicture.losses)
        if hasMetrics { pictures.append(RunPicture.metrics) }
        return pictures
    }

    /// The same for the run in `run`, as its files stand (a config.json that cannot be read counts
    /// as an MNIST run's: a reader of the list then looks for a file that is not there).
    public static func all(in run: RunDirectory) -> [RunPicture] {
        let exists = { FileManager.default.fileExists(atPath: $0) }
        let config = try? RunConfig.read(from: run.path)
        return all(
            hasMetrics: exists(run.metricsPath), hasCheckpoint: exists(run.checkpointPath),
            isMNIST: (config?.dataset ?? .mnist) == .mnist, data: config?.data ?? .digits)
    }
}

/// The names `export` gives what it draws beyond the report's pictures (those it names by their
/// `RunPicture`): one snapshot's manifold or z scatter, and a manifold over chosen axes.
public enum ExportName {
    /// `manifold_7_period12.png` (`label`: the class's file name): label 7's grid as snapshot period 12 recorded it.
    public static func manifold(label: String, period: Int) -> String { "manifold_\(label)_period\(period).png" }

    /// `manifold_7_z4_z0.png` (the latest weights) or `manifold_7_z4_z0_period12.png` (a recorded
    /// snapshot redrawn): label 7 over z[4] along a row and z[0] down the columns.
    public static func manifold(label: String, column: Int, row: Int, period: Int?) -> String {
        "manifold_\(label)_z\(column)_z\(row)" + (period.map { "_period\($0).png" } ?? ".png")
    }

    /// `z_scatter_all_period12.png`: the test digits' codes of one label (or `all`) at period 12.
    public static func zScatter(label: String, period: Int) -> String { "z_scatter_\(label)_period\(period).png" }
}
