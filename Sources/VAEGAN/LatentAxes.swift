import Datasets
import Tensor

/// The two latent dimensions that carry the most for one label: the manifold's own axes.
///
/// The notebook's manifold varies z[0] and z[1], whichever dimensions those turn out to be; which
/// ones a trained encoder uses for a label's style depends on the seed (the shipped model's z_mean
/// of test 7s spreads 0.10 along z[0] and 0.28 along z[5]). The measure is the variance of z_mean
/// over that label's test digits: how far apart the encoder puts digits of one label along a
/// dimension, which is what a manifold walks along. The per-dimension KL term would rank by the
/// posterior's width too, and the dimensions that carry style are the ones whose sigma the
/// training pushed to its clip floor, where KL no longer tells them apart.
public enum LatentAxes {
    /// The variance of each dimension of z_mean over the images [N, S, S, C] of `label`.
    public static func variances(_ inference: Inference, images: Tensor, label: Int) -> [Double] {
        let n = images.shape[0], d = inference.config.latentDim
        let mean = inference.encodeMean(
            images, labels: Batch.oneHot(Array(repeating: label, count: n), data: inference.config.data))
        return (0..<d).map { k in
            let column = (0..<n).map { Double(mean[$0 * d + k]) }
            let m = column.reduce(0, +) / Double(max(n, 1))
            return column.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(n, 1))
        }
    }

    /// The two dimensions of largest variance, the larger along a row (ties to the lower index).
    public static func widest(_ variances: [Double]) -> (column: Int, row: Int) {
        precondition(variances.count >= 2)
        let order = variances.indices.sorted {
            variances[$0] != variances[$1] ? variances[$0] > variances[$1] : $0 < $1
        }
        return (order[0], order[1])
    }

    /// The axes of `label`'s manifold, measured on (up to) `count` of its test digits.
    public static func widest(_ inference: Inference, test: DigitSet, label: Int, count: Int = 500) -> (
        column: Int, row: Int
    ) {
        let indices = Array(test.indices(ofLabel: label).prefix(count))
        return widest(variances(inference, images: Batch.images(test, indices), label: label))
    }
}
