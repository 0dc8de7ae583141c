import ArgumentParser
import Console
import Datasets
import RunModel

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export PNG sheets and plots from a run, or its weights.",
        discussion: "Without --out, files go into the run directory.",
        subcommands: [
            StyleTransfer.self, Reconstructions.self, ManifoldPNG.self, ZScatter.self, Losses.self, MetricsPlot.self,
            Weights.self
        ])
}

/// Say where a picture went (`PictureExport` writes it where --out says), `note` after the path.
func wrote(_ path: String, _ options: RunOptions, note: String = "") {
    Terminal.info("wrote \(path)\(note)", quiet: options.quiet)
}

/// The model a picture is drawn with (`DrawingModel`): the run's latest checkpoint (or the one
/// --checkpoint names), or, with no --run and no run in vaegan-run, the shipped article model
/// (said on the terminal).
func drawingModel(_ runOptions: RunOptions, _ dataOptions: DataOptions, checkpoint: CheckpointOption? = nil) throws
    -> DrawingModel
{
    try checkpoint?.check(runOptions)
    return try DrawingModel.open(
        run: runOptions.run, article: runOptions.usesArticleModel, checkpoint: checkpoint?.iteration,
        dataDirectory: dataOptions.data
    ) {
        Terminal.info($0, quiet: runOptions.quiet)
    }
}

/// What the data of the run in --run is (`DrawingModel.data`).
func runData(_ runOptions: RunOptions) -> DataDescription {
    DrawingModel.data(ofRunIn: runOptions.run, article: runOptions.usesArticleModel)
}
