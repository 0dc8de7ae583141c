import Datasets

/// The model a picture is drawn with: a run's latest checkpoint, or, where there is no run to
/// draw with, the shipped article model; with the dataset its test digits come from.
public struct DrawingModel {
    public let model: LatestModel
    public let dataset: DatasetKind
    /// The folder of the test digits: the one given, else the run's (or, for the article model,
    /// where set-up put MNIST).
    public let dataDirectory: String

    /// The run in `run`'s latest model (or the weights it kept at `checkpoint`), or with `article`
    /// (no run named, none in the default folder) the article model, which `say` announces.
    /// `dataDirectory` overrides where the test digits are.
    public static func open(
        run: String, article: Bool, checkpoint: Int? = nil, dataDirectory: String?, say: (String) -> Void
    ) throws -> DrawingModel {
        guard article else {
            let recorded = try RecordedRun.open(run)
            return DrawingModel(
                model: try recorded.directory.model(config: recorded.config, checkpoint: checkpoint),
                dataset: recorded.config.dataset,
                dataDirectory: dataDirectory ?? recorded.config.dataDirectory)
        }
        let opened = try ArticleModel.open()
        say(
            "no run in \(run): drawing with the article model (\(ArticleModel.path), iteration "
                + "\(opened.model.iteration))")
        return DrawingModel(
            model: opened.model, dataset: .mnist, dataDirectory: dataDirectory ?? DatasetKind.mnist.defaultDirectory)
    }

    /// What the data of the run in `run` is: its own set's, or MNIST's digits (for the article
    /// model, and for a folder without a readable config.json, whose reader then says why).
    public static func data(ofRunIn run: String, article: Bool) -> DataDescription {
        article ? .digits : (try? RunConfig.read(from: run))?.data ?? .digits
    }
}
