import ArgumentParser
import Datasets
import RunModel

/// The input digits of a style-transfer sheet, as `--inputs` names them: MNIST test indices of one
/// label, comma-separated, or "article" for the article's ten 7s.
enum SheetInputs {
    static let help =
        "The input digits by test index (comma-separated, all of one label), or 'article' for the article's ten 7s ("
        + ArticleModel.styleTransferInputs.testIndices.map(String.init).joined(separator: ",") + ")."

    /// The indices `text` names; each is checked against the test set by `problem`.
    static func parse(_ text: String) throws -> [Int] {
        if text == "article" { return ArticleModel.styleTransferInputs.testIndices }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let indices = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard indices.count == parts.count, !indices.isEmpty else {
            throw ValidationError("--inputs must be 'article' or test indices separated by commas, got '\(text)'")
        }
        try checkRange(indices.count, 1...50, "--inputs' count of digits")
        return indices
    }

    /// The one line that says why `indices` cannot be the inputs of a sheet (of `source`, where
    /// given; else of the first digit's label), or nil.
    static func problem(with indices: [Int], test: DigitSet, source: Int? = nil) -> String? {
        for i in indices {
            guard (0..<test.count).contains(i) else {
                return
                    "--inputs: test index \(i) is out of range (the test set has \(test.count) digits, 0-\(test.count - 1))"
            }
            let label = source ?? Int(test.labels[indices[0]])
            guard Int(test.labels[i]) == label else {
                let whose = source == nil ? "test digit \(indices[0])'s label" : "--label \(label)"
                return "--inputs: test digit \(i) is a \(test.labels[i]), not a \(label) (\(whose))"
            }
        }
        return nil
    }
}
