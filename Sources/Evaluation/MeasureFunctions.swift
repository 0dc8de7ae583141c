import Foundation
import Tensor

/// The measures of `evaluate`, each a plain function of images, labels or features, so that tests
/// can feed them inputs whose answer is known.
public enum Metrics {
    /// Mean image-gradient magnitude of 28x28 images [N, 28, 28, 1] in [0, 1]: at each pixel with a
    /// right and a lower neighbour, sqrt(dx² + dy²) of forward differences, averaged over pixels
    /// and images. Blur lowers it; its ratio to real digits' value is the "sharpness ratio".
    public static func sharpness(_ images: Tensor) -> Double {
        let (n, h, w) = (images.shape[0], images.shape[1], images.shape[2])
        precondition(
            images.count == n * h * w && h >= 2 && w >= 2, "sharpness: images [N, H, W, 1], got \(images.shape)")
        let p = images.data
        var total = 0.0
        for b in 0..<n {
            let img = p + b * h * w
            var sum: Float = 0
            for y in 0..<(h - 1) {
                for x in 0..<(w - 1) {
                    let here = img[y * w + x]
                    let dx = img[y * w + x + 1] - here, dy = img[(y + 1) * w + x] - here
                    sum += (dx * dx + dy * dy).squareRoot()
                }
            }
            total += Double(sum) / Double((h - 1) * (w - 1))
        }
        return total / Double(max(n, 1))
    }

    /// The share of `predicted` equal to `intended`, overall and per intended label (NaN for a
    /// label that never occurs).
    public static func agreement(predicted: [Int], intended: [Int], classes: Int) -> (
        overall: Double, perLabel: [Double]
    ) {
        precondition(predicted.count == intended.count)
        var hits = [Int](repeating: 0, count: classes), totals = hits
        for (p, t) in zip(predicted, intended) {
            totals[t] += 1
            if p == t { hits[t] += 1 }
        }
        let perLabel = (0..<classes).map { totals[$0] == 0 ? Double.nan : Double(hits[$0]) / Double(totals[$0]) }
        return (Double(hits.reduce(0, +)) / Double(max(intended.count, 1)), perLabel)
    }

    /// Within-label diversity: for each label, the mean Euclidean distance between the feature
    /// vectors [N, F] of two different images of that label (NaN with fewer than two).
    /// A generator that draws one digit per label over and over scores 0.
    public static func diversity(features: Tensor, labels: [Int], classes: Int) -> [Double] {
        let f = features.shape[1]
        precondition(features.shape[0] == labels.count)
        return (0..<classes).map { label in
            let rows = labels.indices.filter { labels[$0] == label }
            guard rows.count >= 2 else { return .nan }
            var total = 0.0
            for (k, i) in rows.enumerated() {
                let a = features.data + i * f
                for j in rows[(k + 1)...] {
                    let b = features.data + j * f
                    var s: Float = 0
                    for c in 0..<f { let d = a[c] - b[c]; s += d * d }
                    total += Double(s.squareRoot())
                }
            }
            return total / Double(rows.count * (rows.count - 1) / 2)
        }
    }

    /// Mean root-mean-square pixel distance between two different images of a group
    /// [N, H, W, 1] (over all N(N-1)/2 pairs; NaN with fewer than two). How much a row of a
    /// style-transfer sheet varies: 0 when every column draws the same digit.
    public static func pairwiseDistance(_ images: Tensor) -> Double {
        let n = images.shape[0], size = images.count / max(n, 1)
        guard n >= 2 else { return .nan }
        var total = 0.0
        for i in 0..<n {
            for j in (i + 1)..<n {
                let a = images.data + i * size, b = images.data + j * size
                var s: Float = 0
                for p in 0..<size { let d = a[p] - b[p]; s += d * d }
                total += Double((s / Float(size)).squareRoot())
            }
        }
        return total / Double(n * (n - 1) / 2)
    }

    /// Pixel binary cross-entropy (inputs clipped to [1e-7, 1 - 1e-7], as Keras) and squared
    /// error of reconstructions against originals, both averaged over pixels.
    public static func reconstructionError(original: Tensor, reconstructed: Tensor) -> (bce: Double, mse: Double) {
        precondition(original.shape == reconstructed.shape)
        var bce = 0.0, mse = 0.0
        let eps: Float = 1e-7
        for i in 0..<original.count {
            let t = original.data[i], p = min(max(reconstructed.data[i], eps), 1 - eps)
            bce -= Double(t * logf(p) + (1 - t) * logf(1 - p))
            let d = Double(t - reconstructed.data[i])
            mse += d * d
        }
        return (bce / Double(original.count), mse / Double(original.count))
    }
}
