import ArgumentParser
import Foundation
import MNIST
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
}
