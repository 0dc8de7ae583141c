import Canvas
import Datasets
import Evaluation
import Foundation
import RunPictures
import VAEGAN

/// The style-transfer sheets `export style-transfer` draws: one per source label, of its test
/// digits (the first `count`, or the `inputs` given) decoded with each label of `rows`.
public struct StyleTransferSheets {
    /// The source labels, a sheet each.
    public var sources: [Int]
    /// The rows' labels (the source's always among them); nil: `Pictures.sheetLabels`.
    public var rows: [Int]?
    /// The number of test digits of a sheet where no `inputs` are given.
    public var count: Int
    /// The input digits by test index, all of each source's label; nil: the first `count`.
    public var inputs: [Int]?

    public init(sources: [Int], rows: [Int]?, count: Int, inputs: [Int]?) {
        self.sources = sources; self.rows = rows; self.count = count; self.inputs = inputs
    }

    /// Why a sheet cannot be drawn from the inputs asked for: the one line that says so.
    public struct Problem: Error, CustomStringConvertible, Equatable, Sendable {
        public let description: String
    }

    /// The source label where none is asked: 7 where the classes are MNIST's ten digits (or
    /// numbered like them, past 7), the first class otherwise.
    public static func defaultSource(_ data: DataDescription) -> Int {
        data.isNumbered && data.classes.count > 7 ? 7 : 0
    }

    /// Whether `out` names an existing folder (or ends in '/'): the sheets go into it by their own names.
    public static func isFolder(_ out: String) -> Bool {
        var isDirectory: ObjCBool = false
        return out.hasSuffix("/")
            || FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Where the sheet `name` of the class whose file name is `fileLabel` goes, given `out`: into
    /// the folder `out` names, else to `out` with `{label}` standing for the class.
    public static func path(out: String, name: String, fileLabel: String) -> String {
        isFolder(out)
            ? (out.hasSuffix("/") ? out : out + "/") + name
            : out.replacingOccurrences(of: "{label}", with: fileLabel)
    }

    /// Why `out` cannot hold the sheets of every label (it names one file), or nil: a folder, or
    /// a name with `{label}` in it, can (`path`).
    public static func problem(out: String, everyLabel: Bool) -> String? {
        guard everyLabel, !out.contains("{label}") && !isFolder(out) else { return nil }
        return
            "--out '\(out)' would hold one of many sheets: with --label all, give a folder or a name containing {label}"
    }

    /// Draw each source's sheet in turn with `inference` from `test`, titled by `data`'s classes,
    /// and hand it to `write` with its file's name (`RunPicture.styleTransfer`) and its source.
    /// Inputs not of a source's label (or out of the test set) stop it before that sheet.
    public func draw(
        _ inference: Inference, test: DigitSet, data: DataDescription,
        write: (_ sheet: Surface, _ name: String, _ source: Int) throws -> Void
    ) throws {
        for source in sources {
            if let inputs, let problem = SheetInputs.problem(inputs, test: test, source: source) {
                throw Problem(description: problem.optionLine(bySource: true))
            }
            let sheet = Pictures.styleTransfer(
                inference, test: test, source: source, count: count, indices: inputs, rows: rows)
            try write(sheet, RunPicture.styleTransfer(source, data: data).file, source)
        }
    }
}
