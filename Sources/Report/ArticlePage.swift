import Browser
import Datasets
import Evaluation
import Films
import Foundation
import RunModel
import RunPictures
import VAEGAN

/// `vaegan-render report --article`: a page for the shipped article model, with no run: its
/// style-transfer sheets (the article's own ten 7s among them), the walk through its latent space,
/// and the model running in the page. The folder can be published on any static host.
public enum ArticlePage {
    public static func write(
        to folder: String, dataDirectory: String, classifier: Classifier?, program: String, log: (String) -> Void
    ) throws {
        try ReportBuilder.prepare(folder: folder)
        let article = try ArticleModel.open()
        let model = article.model
        let test = try Dataset.load(directory: dataDirectory).test
        let path = { (folder as NSString).appendingPathComponent($0) }
        var sheets: [ReportPage.Media] = []
        let data = article.config.data
        for picture in data.classes.labels.map({ RunPicture.styleTransfer($0, data: data) })
            + [RunPicture.articleStyleTransfer]
        {
            try Pictures.sheet(picture.kind, model.inference, test: test)!.writePNG(to: path(picture.file))
            log(picture.file)
            sheets.append(.init(picture))
        }
        try RunFilms.walk(model, labels: Array(data.classes.labels), to: path(RunPicture.walkFilm(data).file))
        log(RunPicture.walkFilm(data).file)
        try WebModel.write(model, classifier: classifier, madeBy: article.madeBy, to: folder)
        log("the page's model (\(WebModel.weightsFile), \(WebModel.scriptFile), \(WebModel.explorerFile))")
        let axes = LatentAxes.widest(model.inference, test: test, label: ArticleModel.styleTransferInputs.label)
        var page = ReportPage(
            title: "vaegan-render: the article's model",
            settings: [
                ("weights", "\(ArticleModel.fileName), shipped with vaegan-render"),
                ("made by", article.madeBy), ("variant", article.config.variant.rawValue),
                ("iterations", "\(model.iteration)"), ("latent size", "\(article.config.latentDim)")
            ],
            manifoldFilms: [], snapshotIterations: [], fps: Film.snapshotFPS,
            otherFilms: [.init(RunPicture.walkFilm(data))],
            galleries: [
                .init(
                    title: RunPicture.Section.styleTransfer.rawValue,
                    intro: "Ten test digits of one label (the input row), encoded, and decoded with every label.",
                    images: sheets, columnWidth: 300)
            ],
            evaluation: nil, evaluationNote: "",
            footer: "Written by \(program) on \(ISO8601DateFormatter().string(from: Date())).")
        page.explorerAxes = (axes.column, axes.row)
        try page.write(toFolder: folder)
    }
}
