import ArgumentParser
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

    func validate() throws { _ = try choice() }

    /// --axes read (`LatentAxes.Choice`); nil without it.
    func choice() throws -> LatentAxes.Choice? { try axes.map(LatentAxes.Choice.init) }
}
