import ArgumentParser
import AtomicIO
import Canvas
import Console
import Datasets
import Foundation
import RunFolder
import RunModel
import Tensor
import Training

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export PNG sheets and plots from a run, or its weights.",
        discussion: "Without --out, files go into the run directory.",
        subcommands: [
            StyleTransfer.self, Reconstructions.self, ManifoldPNG.self, ZScatter.self, Losses.self, MetricsPlot.self,
            Weights.self
        ])
}

/// Where an export goes: --out, or a default name in the run directory.
func exportPath(_ out: String?, run: String, defaultName: String) throws -> String {
    let path = out ?? (run as NSString).appendingPathComponent(defaultName)
    guard path.lowercased().hasSuffix(".png") else { throw ValidationError("--out \(path): write a .png file") }
    try AtomicFile.checkWritable(path)
    return path
}

/// Draw a picture and write it where --out says, saying so (`note` after the path).
func export(_ draw: () throws -> Surface, run options: RunOptions, out: String?, defaultName: String, note: String = "")
    throws
{
    let picture = try draw()
    let path = try exportPath(out, run: options.run, defaultName: defaultName)
    try picture.writePNG(to: path)
    Terminal.info("wrote \(path)\(note)", quiet: options.quiet)
}

/// A picture of one snapshot (--period, default the latest), named after it.
func exportSnapshot(
    _ draw: (Snapshot) throws -> Surface, run options: RunOptions, period: Int?, out: String?,
    defaultName: (Snapshot) -> String
) throws {
    let s = try RecordedRun.open(options.run).snapshot(period: period)
    try export({ try draw(s) }, run: options, out: out, defaultName: defaultName(s))
}

/// A plot drawn from the run's logs.
func exportPlot(
    _ draw: (RunDirectory, RunConfig) throws -> Surface, run options: RunOptions, out: String?, defaultName: String
) throws {
    let dir = RunDirectory(options.run)
    try export({ try draw(dir, try RunConfig.read(from: dir.path)) }, run: options, out: out, defaultName: defaultName)
}

/// The model a picture is drawn with: the run's latest checkpoint (or the one --checkpoint names), or, with no --run and no run in
/// vaegan-run, the shipped article model (said on the terminal); with the dataset its test digits
/// come from.
func drawingModel(_ runOptions: RunOptions, _ dataOptions: DataOptions, checkpoint: CheckpointOption? = nil) throws
    -> (model: LatestModel, kind: DatasetKind, dataDirectory: String)
{
    try checkpoint?.check(runOptions)
    guard runOptions.usesArticleModel else {
        let recorded = try RecordedRun.open(runOptions.run)
        return (
            try recorded.directory.model(config: recorded.config, checkpoint: checkpoint?.iteration),
            recorded.config.dataset,
            dataOptions.data ?? recorded.config.dataDirectory
        )
    }
    let article = try ArticleModel.open()
    Terminal.info(
        "no run in \(runOptions.run): drawing with the article model (\(ArticleModel.path), iteration "
            + "\(article.model.iteration))", quiet: runOptions.quiet)
    return (article.model, .mnist, dataOptions.directory(for: .mnist))
}

/// What the data of the run in --run is: its own set's, or MNIST's digits (for the article model,
/// and for a folder without a readable config.json, whose reader then says why).
func runData(_ runOptions: RunOptions) -> DataDescription {
    runOptions.usesArticleModel ? .digits : (try? RunConfig.read(from: runOptions.run))?.data ?? .digits
}

/// --label as labels of `data`'s classes: a number, a class's name (`ClassNames.match`: exact, as
/// in file names, or in one case of one class), or with `allowAll` 'all' for every label.
func parseLabel(_ text: String, allowAll: Bool, data: DataDescription) throws -> [Int] {
    let classes = data.classes
    if allowAll && text == "all" { return Array(classes.labels) }
    switch classes.match(text) {
    case .label(let n): return [n]
    case .ambiguous(let candidates):
        throw ValidationError(
            "--label '\(text)' matches more than one class in another case (\(candidates.map { classes[$0] }.joined(separator: ", "))); give its exact name or its number"
        )
    case .none:
        let names =
            classes.isNumbered
            ? ""
            : " or a class's name (\(classes.names.prefix(8).joined(separator: ", "))\(classes.count > 8 ? ", ..." : ""))"
        throw ValidationError(
            "--label must be between 0 and \(classes.count - 1)\(names)\(allowAll ? " or 'all'" : ""), got '\(text)'")
    }
}
