import Foundation

/// Labels as a person gives them on the command line (`--label`, `--classes`): numbers, classes'
/// names, or 'all'; with the one line that says why a text names none.
extension ClassNames {
    /// Why a text names no label of these classes: its one-line message.
    public struct LabelProblem: Error, CustomStringConvertible, Equatable, Sendable {
        public let description: String
    }

    /// `--label` as labels: a number, a class's name (`match`: exact, as in file names, or in one
    /// case of one class), or with `allowAll` 'all' for every label.
    public func labelsGiven(_ text: String, allowAll: Bool) throws -> [Int] {
        if allowAll && text == "all" { return Array(labels) }
        switch match(text) {
        case .label(let n): return [n]
        case .ambiguous(let candidates):
            throw LabelProblem(
                description:
                    "--label '\(text)' matches more than one class in another case (\(candidates.map { self[$0] }.joined(separator: ", "))); give its exact name or its number"
            )
        case .none:
            let named =
                isNumbered
                ? "" : " or a class's name (\(names.prefix(8).joined(separator: ", "))\(count > 8 ? ", ..." : ""))"
            throw LabelProblem(
                description:
                    "--label must be between 0 and \(count - 1)\(named)\(allowAll ? " or 'all'" : ""), got '\(text)'")
        }
    }

    /// `--classes` as labels: comma-separated numbers or names (`label(of:)`, spaces around each
    /// ignored).
    public func labelsListed(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map {
            guard let l = label(of: $0.trimmingCharacters(in: .whitespaces)) else {
                throw LabelProblem(
                    description: "--classes: '\($0)' is not a label of the run (0-\(count - 1) or a name)")
            }
            return l
        }
    }
}
