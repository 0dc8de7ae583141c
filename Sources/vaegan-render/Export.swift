import ArgumentParser
import AtomicIO
import Canvas
import Console
import Foundation
import MNIST
import Report
import RunFolder
import RunModel
import RunPictures
import Tensor
import Training
import VAEGAN

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

/// The model a picture is drawn with: the run's latest checkpoint, or, with no --run and no run in
/// vaegan-run, the shipped article model (said on the terminal); with the dataset its test digits
/// come from.
func drawingModel(_ runOptions: RunOptions, _ dataOptions: DataOptions) throws -> (
    model: LatestModel, kind: DatasetKind, dataDirectory: String
) {
    guard runOptions.usesArticleModel else {
        let recorded = try RecordedRun.open(runOptions.run)
        return (
            try recorded.latestModel(), recorded.config.dataset,
            dataOptions.data ?? recorded.config.dataDirectory
        )
    }
    let article = try ArticleModel.open()
    Terminal.info(
        "no run in \(runOptions.run): drawing with the article model (\(ArticleModel.path), iteration "
            + "\(article.model.iteration))", quiet: runOptions.quiet)
    return (article.model, .mnist, dataOptions.directory(for: .mnist))
}

func parseLabel(_ text: String, allowAll: Bool) throws -> [Int] {
    if allowAll && text == "all" { return Array(Digit.labels) }
    guard let n = Int(text), Digit.labels.contains(n) else {
        throw ValidationError("--label must be between 0 and 9\(allowAll ? " or 'all'" : ""), got '\(text)'")
    }
    return [n]
}

extension Export {
    struct StyleTransfer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "style-transfer",
            abstract: "The notebook's style-transfer matrix: test digits of one label, re-drawn with every label.",
            discussion:
                "Uses the latest checkpoint. Row k decodes the digits' z_mean with label k; the source row shows the originals. "
                + "Without --run, and with no run in vaegan-run, draws with the shipped article model into the current folder."
        )

        @OptionGroup var runOptions: RunOptions
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Source label 0-9, or 'all' for one sheet per label.") var label: String = "7"
        @Option(help: "Number of test digits (columns).") var count: Int = 10
        @Option(
            help: ArgumentHelp(
                SheetInputs.help + " Default: the first --count test digits of --label.", valueName: "indices"))
        var inputs: String?
        @Option(
            help: ArgumentHelp(
                "Output PNG (with --label all: a folder, or a name containing {label}).", valueName: "file.png"))
        var out: String?

        func validate() throws {
            let labels = try parseLabel(label, allowAll: true)
            try checkRange(count, 1...50, "--count")
            if inputs != nil && labels.count != 1 { throw ValidationError("--inputs needs one --label, not 'all'") }
            if labels.count > 1, let out, !out.contains("{label}") && !Self.isFolder(out) {
                throw ValidationError(
                    "--out '\(out)' would hold one of ten sheets: with --label all, give a folder or a name containing {label}"
                )
            }
            _ = try inputIndices()
        }

        /// Whether --out names an existing folder (or ends in '/'): the sheets go into it by their own names.
        static func isFolder(_ out: String) -> Bool {
            var isDirectory: ObjCBool = false
            return out.hasSuffix("/")
                || FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory)
                    && isDirectory.boolValue
        }

        /// --inputs as test indices (nil without it); each index is checked against the test set in `run`.
        func inputIndices() throws -> [Int]? { try inputs.map(SheetInputs.parse) }

        func run() throws {
            Threads.set(runOptions.threads)
            let (model, kind, dataDirectory) = try drawingModel(runOptions, dataOptions)
            let inference = model.inference
            let test = try Dataset.load(directory: dataDirectory).test
            let indices = try inputIndices()
            for source in try parseLabel(label, allowAll: true) {
                if let indices, let problem = SheetInputs.problem(with: indices, test: test, source: source) {
                    throw ValidationError(problem)
                }
                let name = RunPicture.styleTransfer(source).file
                try export(
                    { Pictures.styleTransfer(inference, test: test, source: source, count: count, indices: indices) },
                    run: runOptions,
                    out: out.map {
                        Self.isFolder($0)
                            ? ($0.hasSuffix("/") ? $0 : $0 + "/") + name
                            : $0.replacingOccurrences(of: "{label}", with: "\(source)")
                    } ?? (runOptions.usesArticleModel ? name : nil),
                    defaultName: name, note: " (\(kind.rawValue) test digits of label \(source))")
            }
        }
    }

    struct Reconstructions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Test digits over their reconstructions, at one snapshot.")
        @OptionGroup var runOptions: RunOptions
        @Option(help: "Snapshot period (default: the latest).") var period: Int?
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func run() throws {
            try exportSnapshot(Pictures.reconstructions, run: runOptions, period: period, out: out) { _ in
                RunPicture.reconstructions.file
            }
        }
    }

    struct ManifoldPNG: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "manifold", abstract: "One manifold frame as PNG.",
            discussion: """
                Without --axes, a recorded grid (the notebook's z[0], z[1]). With --axes, the grid is drawn anew: \
                by the latest checkpoint (or, with no run, the article model), or, with --period, by the decoder that \
                snapshot kept (a run trained with --record-decoders).
                """)
        @OptionGroup var runOptions: RunOptions
        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Label 0-9.") var label: Int
        @Option(help: "Snapshot period (default: the latest).") var period: Int?
        @OptionGroup var axesOptions: AxesOptions
        @Option(help: "Image width and height.") var size: Int = ManifoldFrame.defaultSize
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func validate() throws {
            _ = try parseLabel("\(label)", allowAll: false)
            try checkRange(size, ManifoldFrame.sizes, "--size")
        }

        func run() throws {
            guard axesOptions.axes != nil else {
                return try exportSnapshot(
                    {
                        ManifoldFrame(size: size).render(
                            grid: $0.grids[label], gridSize: $0.gridSize, label: label, batch: $0.batchNumber)
                    },
                    run: runOptions, period: period, out: out
                ) { ExportName.manifold(label: label, period: $0.period) }
            }
            if period != nil && runOptions.usesArticleModel {
                throw ValidationError(
                    "--period with --axes redraws a recorded snapshot; \(runOptions.run) holds no run")
            }
            Threads.set(runOptions.threads)
            let (model, _, dataDirectory) = try drawingModel(runOptions, dataOptions)
            let axes = try axesOptions.resolve(labels: [label], inference: model.inference) {
                try Dataset.load(directory: dataDirectory).test
            }
            let chosen = axes[label]!
            let name = ExportName.manifold(label: label, column: chosen.column, row: chosen.row, period: period)
            let grid: [UInt8], batch: Int
            if let period {
                let recorded = try RecordedRun.open(runOptions.run)
                let drawn = try recorded.snapshot(period: period).redrawn(
                    over: axes, base: model, recording: recorded.directory.recordingPath)
                (grid, batch) = (drawn.grids[label], drawn.batchNumber)
            } else {
                let cells = model.inference.manifold(label: label, axes: chosen)
                (grid, batch) = (Snapshot.quantise(UnsafeBufferPointer(cells.buffer)), model.iteration)
            }
            try export(
                {
                    ManifoldFrame(size: size).render(
                        grid: grid, gridSize: Inference.gridCells * Digit.side, label: label, batch: batch,
                        axes: chosen)
                }, run: runOptions, out: out ?? (runOptions.usesArticleModel ? name : nil), defaultName: name,
                note: " (z[\(chosen.column)] along a row, z[\(chosen.row)] down the columns, iteration \(batch))")
        }
    }

    struct ZScatter: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "z-scatter", abstract: "Scatter of z_mean (dims 0 and 1) of test digits.")
        @OptionGroup var runOptions: RunOptions
        @Option(help: "Label 0-9, or 'all' for every label in its own colour.") var label: String = "all"
        @Option(help: "Snapshot period (default: the latest).") var period: Int?
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func validate() throws { _ = try parseLabel(label, allowAll: true) }

        func run() throws {
            let labels = try parseLabel(label, allowAll: true)
            try exportSnapshot({ Pictures.zScatter($0, labels: labels) }, run: runOptions, period: period, out: out) {
                ExportName.zScatter(label: label, period: $0.period)
            }
        }
    }

    struct Losses: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The run's loss curves (log scale), from losses.csv.")
        @OptionGroup var runOptions: RunOptions
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func run() throws {
            try exportPlot(Pictures.losses, run: runOptions, out: out, defaultName: RunPicture.losses.file)
        }
    }

    struct MetricsPlot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "metrics",
            abstract: "Label accuracy and sharpness of every snapshot over training, from metrics.csv.",
            discussion:
                "train-and-record measures each snapshot's manifold grids with the digit classifier (see evaluate).")
        @OptionGroup var runOptions: RunOptions
        @Option(help: ArgumentHelp("Output PNG.", valueName: "file.png")) var out: String?

        func run() throws {
            try exportPlot(Pictures.metrics, run: runOptions, out: out, defaultName: RunPicture.metrics.file)
        }
    }
}
