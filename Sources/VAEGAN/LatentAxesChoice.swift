import Datasets

extension LatentAxes {
    /// The two latent dimensions a manifold is asked to draw (`--axes`, for `render` and `export
    /// manifold`): a pair given as 'i,j', or 'auto', each label's own (`widest`).
    public struct Choice: Sendable {
        /// The text as given, which the messages quote.
        public let text: String
        /// The given pair (z[column] along a row, z[row] down the columns); nil for 'auto'.
        public let pair: Pair?

        public typealias Pair = (column: Int, row: Int)

        /// Why a text or a pair cannot be the manifold's axes: its one-line message.
        public struct Problem: Error, CustomStringConvertible, Equatable, Sendable {
            public let description: String
        }

        /// 'auto', or two different dimensions 'i,j'.
        public init(_ text: String) throws {
            self.text = text
            guard text != "auto" else { pair = nil; return }
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).compactMap { Int($0) }
            guard parts.count == 2, parts[0] != parts[1], parts.allSatisfy({ $0 >= 0 }) else {
                throw Problem(description: "--axes must be 'auto' or two different dimensions 'i,j', got '\(text)'")
            }
            pair = (parts[0], parts[1])
        }

        /// The dimensions for each of `labels`: the given pair (checked against `inference`'s latent
        /// space), or each label's own, measured with `inference` on the test digits `test()` loads.
        public func resolve(labels: [Int], inference: Inference, test: () throws -> DigitSet) throws -> [Int: Pair] {
            let latent = inference.config.latentDim
            if let pair {
                guard pair.column < latent && pair.row < latent else {
                    throw Problem(description: "--axes \(text): the latent space has dimensions 0-\(latent - 1)")
                }
                return Dictionary(uniqueKeysWithValues: labels.map { ($0, pair) })
            }
            let digits = try test()
            return Dictionary(uniqueKeysWithValues: labels.map { ($0, widest(inference, test: digits, label: $0)) })
        }
    }
}
