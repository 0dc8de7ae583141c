import Datasets
import Foundation
import RunModel

/// The input digits of one style-transfer sheet, as test indices: what `--inputs` names (test
/// indices of one label, comma-separated, or "article" for the article's ten 7s), checked against
/// a test set once, here, for `evaluate` and `export style-transfer` alike.
public enum SheetInputs {
    /// Why `--inputs` names no input digits: its one-line message.
    public struct ParseProblem: Error, CustomStringConvertible, Equatable, Sendable {
        public let description: String
    }

    /// How many input digits a sheet may have.
    public static let counts = 1...50

    /// The indices `text` names ("article", or indices separated by commas; spaces around each
    /// ignored); each is checked against the test set by `problem`.
    public static func parse(_ text: String) throws -> [Int] {
        if text == "article" { return ArticleModel.styleTransferInputs.testIndices }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let indices = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard indices.count == parts.count, !indices.isEmpty else {
            throw ParseProblem(
                description: "--inputs must be 'article' or test indices separated by commas, got '\(text)'")
        }
        guard counts.contains(indices.count) else {
            throw ParseProblem(
                description:
                    "--inputs' count of digits must be between \(counts.lowerBound) and \(counts.upperBound), got \(indices.count)"
            )
        }
        return indices
    }

    /// Why test digits cannot be one sheet's inputs.
    public enum Problem: Equatable, Sendable {
        case empty
        /// Test index `index` is past the test set's `testCount` digits.
        case outOfRange(index: Int, testCount: Int)
        /// Test digit `index` is a `label`, not a digit of the sheet's label `expected`: the
        /// source label given, or else the label of the first input, test digit `first`.
        case otherLabel(index: Int, label: Int, expected: Int, first: Int)
    }

    /// What is wrong with test digits `indices` as the inputs of a sheet of label `source` (nil:
    /// of the first digit's label), or nil: the first index out of range or of another label.
    public static func problem(_ indices: [Int], test: DigitSet, source: Int? = nil) -> Problem? {
        guard let first = indices.first else { return .empty }
        for i in indices {
            guard (0..<test.count).contains(i) else { return .outOfRange(index: i, testCount: test.count) }
            let expected = source ?? Int(test.labels[first])
            guard Int(test.labels[i]) == expected else {
                return .otherLabel(index: i, label: Int(test.labels[i]), expected: expected, first: first)
            }
        }
        return nil
    }
}

extension SheetInputs.Problem {
    /// The line `export style-transfer` says, naming `--inputs` (and `--label` where the sheet's
    /// label was given, `bySource`).
    public func optionLine(bySource: Bool) -> String {
        switch self {
        case .empty: return "--inputs: no input digits"
        case .outOfRange(let index, let count):
            return "--inputs: test index \(index) is out of range (the test set has \(count) digits, 0-\(count - 1))"
        case .otherLabel(let index, let label, let expected, let first):
            let whose = bySource ? "--label \(expected)" : "test digit \(first)'s label"
            return "--inputs: test digit \(index) is a \(label), not a \(expected) (\(whose))"
        }
    }

    /// The problem as an evaluation names it, beside its data folder.
    public var recordLine: String {
        switch self {
        case .empty: return "no input digits"
        case .outOfRange(let index, let count):
            return "test index \(index) of the sheet's inputs is out of range (the test set has \(count) digits)"
        case .otherLabel(let index, let label, let expected, let first):
            return "the sheet's inputs are of two labels: test digit \(first) is a \(expected), \(index) a \(label)"
        }
    }
}
