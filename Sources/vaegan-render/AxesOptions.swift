import ArgumentParser
import Datasets
import VAEGAN

/// `--axes` (also `--dims`): the two latent dimensions a manifold draws, for `render` and
/// `export manifold`. Without it, the recorded grids over the notebook's z[0], z[1].
struct AxesOptions: ParsableArguments {
    @Option(
        name: [.customLong("axes"), .customLong("dims")],
        help: ArgumentHelp(
            "The manifold's two latent dimensions: 'i,j' (z[i] along a row, z[j] down the columns; the notebook's "
                + "are 0,1), or 'auto' for the label's own (the two whose z_mean varies most over its test digits, "
                + "as evaluate lists them). Default: the recorded grids over z[0], z[1].", valueName: "i,j|auto"))
    var axes: String?

    func validate() throws { _ = try given() }

    /// 'i,j' as (column, row); nil for 'auto' or without --axes.
    func given() throws -> (column: Int, row: Int)? {
        guard let axes, axes != "auto" else { return nil }
        let parts = axes.split(separator: ",", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard parts.count == 2, parts[0] != parts[1], parts.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--axes must be 'auto' or two different dimensions 'i,j', got '\(axes)'")
        }
        return (parts[0], parts[1])
    }

    /// The dimensions for each of `labels`: the given pair (checked against the latent space), or
    /// each label's own, measured with `inference` on the test digits `test()` loads.
    func resolve(labels: [Int], inference: Inference, test: () throws -> DigitSet) throws -> [Int: (
        column: Int, row: Int
    )] {
        let latent = inference.config.latentDim
        if let pair = try given() {
            guard pair.column < latent && pair.row < latent else {
                throw ValidationError("--axes \(axes!): the latent space has dimensions 0-\(latent - 1)")
            }
            return Dictionary(uniqueKeysWithValues: labels.map { ($0, pair) })
        }
        let digits = try test()
        return Dictionary(
            uniqueKeysWithValues: labels.map { ($0, LatentAxes.widest(inference, test: digits, label: $0)) })
    }
}
