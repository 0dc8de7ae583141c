import ArgumentParser
import Datasets
import Foundation
import Report
import RunFolder
import RunModel
import RunPictures
import Tensor
import Training

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
            if label == "all", let out, !out.contains("{label}") && !Self.isFolder(out) {
                throw ValidationError(
                    "--out '\(out)' would hold one of many sheets: with --label all, give a folder or a name containing {label}"
                )
            }
            if let classes, classes.split(separator: ",").isEmpty {
                throw ValidationError("--classes names no label, got '\(classes)'")
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

        /// The source labels: --label's, or 7 where the classes are MNIST's ten digits (or numbered
        /// like them), the first class otherwise.
        func sources(_ data: DataDescription) throws -> [Int] {
            guard let label else { return [data.isNumbered && data.classes.count > 7 ? 7 : 0] }
            return try parseLabel(label, allowAll: true, data: data)
        }

        /// --inputs as test indices (nil without it); each index is checked against the test set in `run`.
        func inputIndices() throws -> [Int]? { try inputs.map(SheetInputs.parse) }

        func run() throws {
            Threads.set(runOptions.threads)
            let (model, kind, dataDirectory) = try drawingModel(runOptions, dataOptions, checkpoint: checkpoint)
            let inference = model.inference
            let test = try Dataset.load(directory: dataDirectory).test
            let indices = try inputIndices()
            let data = runData(runOptions), names = data.classes
            let rows = try classes.map { text in
                try text.split(separator: ",").map {
                    guard let l = names.label(of: $0.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationError(
                            "--classes: '\($0)' is not a label of the run (0-\(names.count - 1) or a name)")
                    }
                    return l
                }
            }
            for source in try sources(data) {
                if let indices, let problem = SheetInputs.problem(with: indices, test: test, source: source) {
                    throw ValidationError(problem)
                }
                let name = KeptCheckpoints.pictureName(
                    RunPicture.styleTransfer(source, data: data).file, iteration: checkpoint.iteration)
                try export(
                    {
                        Pictures.styleTransfer(
                            inference, test: test, source: source, count: count, indices: indices, rows: rows)
                    },
                    run: runOptions,
                    out: out.map {
                        Self.isFolder($0)
                            ? ($0.hasSuffix("/") ? $0 : $0 + "/") + name
                            : $0.replacingOccurrences(of: "{label}", with: names.fileNames[source])
                    } ?? (runOptions.usesArticleModel ? name : nil),
                    defaultName: name, note: " (\(kind.rawValue) test images of label \(names[source]))")
            }
        }
    }
}
