import ArgumentParser
import Datasets
import Evaluation
import Report
import RunFolder
import Tensor

extension Export {
    struct StyleTransfer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "style-transfer",
            abstract: "The notebook's style-transfer matrix: test digits of one label, re-drawn with every label.",
            discussion:
                "Uses the latest checkpoint, or with --checkpoint one the run kept (the file's name then says its iteration). Row k decodes the digits' z_mean with label k; the source row shows the originals. "
                + "Without --run, and with no run in vaegan-run, draws with the shipped article model into the current folder."
        )

        @OptionGroup var runOptions: RunOptions
        @OptionGroup var dataOptions: DataOptions
        @OptionGroup var checkpoint: CheckpointOption
        @Option(
            help:
                "Source label (a number, or a class's name on one's own data), or 'all' for one sheet per label. Default: 7 on MNIST's digits, the first class on one's own."
        )
        var label: String?
        @Option(
            help: ArgumentHelp(
                "The rows' labels, comma-separated (numbers or names), with --label's row always among them. Default: "
                    + "every label, or the first 16 of a set with more.", valueName: "a,b,c"))
        var classes: String?
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
            _ = try sources(runData(runOptions))
            try checkRange(count, 1...50, "--count")
            if inputs != nil && label == "all" { throw ValidationError("--inputs needs one --label, not 'all'") }
            if let out, let problem = StyleTransferSheets.problem(out: out, everyLabel: label == "all") {
                throw ValidationError(problem)
            }
            if let classes, classes.split(separator: ",").isEmpty {
                throw ValidationError("--classes names no label, got '\(classes)'")
            }
            _ = try inputIndices()
        }

        /// The source labels: --label's, or `StyleTransferSheets.defaultSource`.
        func sources(_ data: DataDescription) throws -> [Int] {
            try label.map { try data.classes.labelsGiven($0, allowAll: true) } ?? [
                StyleTransferSheets.defaultSource(data)
            ]
        }

        /// --inputs as test indices (nil without it); each index is checked against the test set in `run`.
        func inputIndices() throws -> [Int]? { try inputs.map(SheetInputs.parse) }

        func run() throws {
            Threads.set(runOptions.threads)
            let drawing = try drawingModel(runOptions, dataOptions, checkpoint: checkpoint)
            let test = try Dataset.load(directory: drawing.dataDirectory).test
            let indices = try inputIndices()
            let data = runData(runOptions), names = data.classes
            let sheets = StyleTransferSheets(
                sources: try sources(data), rows: try classes.map(names.labelsListed), count: count, inputs: indices)
            try sheets.draw(drawing.model.inference, test: test, data: data) { sheet, file, source in
                // A kept checkpoint's sheet is named for its iteration.
                let name = KeptCheckpoints.pictureName(file, iteration: checkpoint.iteration)
                let path = try PictureExport.write(
                    { sheet },
                    out: out.map { StyleTransferSheets.path(out: $0, name: name, fileLabel: names.fileNames[source]) }
                        ?? (runOptions.usesArticleModel ? name : nil), run: runOptions.run, defaultName: name)
                wrote(path, runOptions, note: " (\(drawing.dataset.rawValue) test images of label \(names[source]))")
            }
        }
    }
}
