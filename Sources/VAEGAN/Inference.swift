import Foundation
import Tensor

/// What the trained decoder draws: the 15x15 manifold grids, reconstructions, style transfer.
/// Everything here runs with dropout off and records nothing. Images are [N, S, S, C] of the
/// model's data (`ModelConfig.data`), channels last, values in [0, 1].
public struct Inference {
    public let weights: ModelWeights
    public let config: ModelConfig
    /// The convolutions' precision: float32 unless asked (training's snapshots ask for the run's).
    public let precision: Precision

    public init(weights: ModelWeights, config: ModelConfig, precision: Precision = .fp32) {
        self.weights = weights; self.config = config; self.precision = precision
    }

    /// Cells along each side of a manifold grid (the notebook's 15x15).
    public static let gridCells = 15

    func networks() -> Networks { Networks(weights: weights, config: config, tape: .inference(precision: precision)) }

    /// The grid's coordinates: Phi^-1(linspace(0.05, 0.95, n)), standard normal quantiles.
    public static func gridCoordinates(_ n: Int = gridCells) -> [Double] {
        (0..<n).map { normalQuantile(0.05 + 0.9 * Double($0) / Double(n - 1)) }
    }

    /// The notebook's manifold axes: z[0] along a row, z[1] down the columns.
    public static let notebookAxes = (column: 0, row: 1)

    /// The manifold of one label: cell (row i, column j) decodes z with z[axes.column] = grid[j],
    /// z[axes.row] = grid[i], the other dimensions 0, tiled into one [S*n, S*n, C] image. All n*n
    /// cells in one pass.
    public func manifold(label: Int, n: Int = Self.gridCells, axes: (column: Int, row: Int) = notebookAxes) -> Tensor {
        Self.tile(manifoldImages(label: label, n: n, axes: axes), rows: n, columns: n)
    }

    /// The cells of `manifold` as images [n*n, S, S, C], row-major.
    public func manifoldImages(label: Int, n: Int = Self.gridCells, axes: (column: Int, row: Int) = notebookAxes)
        -> Tensor
    {
        precondition(config.latentDim >= 2, "a manifold needs a latent space of at least 2 dimensions")
        precondition(
            axes.column != axes.row && (0..<config.latentDim).contains(axes.column)
                && (0..<config.latentDim).contains(axes.row), "manifold axes \(axes) in a latent of \(config.latentDim)"
        )
        let g = Self.gridCoordinates(n)
        let z = Tensor(shape: [n * n, config.latentDim])
        for i in 0..<n {
            for j in 0..<n {
                z[(i * n + j) * config.latentDim + axes.column] = Float(g[j])
                z[(i * n + j) * config.latentDim + axes.row] = Float(g[i])
            }
        }
        let labels = Batch.oneHot(Array(repeating: label, count: n * n), data: config.data)
        return networks().decode(Variable(z), Variable(labels)).value
    }

    /// Tile images [rows*columns, h, w, c] into one image [rows*h, columns*w, c], row-major, its
    /// channels interleaved as the cells' are: each row of a cell is copied whole (w*c values).
    public static func tile(_ images: Tensor, rows: Int, columns: Int) -> Tensor {
        let h = images.shape[1], w = images.shape[2], c = images.shape[3]
        precondition(images.shape[0] == rows * columns, "tile: \(images.shape[0]) images for \(rows)x\(columns)")
        let out = Tensor(shape: [rows * h, columns * w, c])
        let line = w * c  // one row of one cell
        for r in 0..<rows {
            for col in 0..<columns {
                for y in 0..<h {
                    (out.data + ((r * h + y) * columns + col) * line).update(
                        from: images.data + ((r * columns + col) * h + y) * line, count: line)
                }
            }
        }
        return out
    }

    /// A closed loop through the latent space for the walk film: step k of n has
    /// (z[0], z[1]) = r (cos t, sin t) with t = 2 pi k / n, and z[2...] = 0, where r = Phi^-1(0.95),
    /// the edge of the manifold grid. Step n would be step 0 again, so the film loops seamlessly.
    public static func latentLoop(steps n: Int) -> [(angle: Double, z0: Double, z1: Double)] {
        let r = normalQuantile(0.95)
        return (0..<n).map { k in
            let t = 2 * Double.pi * Double(k) / Double(n)
            return (t, r * Foundation.cos(t), r * Foundation.sin(t))
        }
    }

    /// Decode each code of `loop` with each of `labels`: images [loop.count * labels.count, S, S, C],
    /// code-major (the labels of one code are consecutive), in passes of about `batch` images.
    public func walkImages(loop: [(angle: Double, z0: Double, z1: Double)], labels: [Int], batch: Int = 256) -> Tensor {
        precondition(config.latentDim >= 2, "a walk needs a latent space of at least 2 dimensions")
        let perPass = max(1, batch / labels.count)
        return Tensor.concatRows(
            stride(from: 0, to: loop.count, by: perPass).map { start in
                let codes = loop[start..<min(loop.count, start + perPass)]
                let z = Tensor(shape: [codes.count * labels.count, config.latentDim])
                for (i, code) in codes.enumerated() {
                    for k in labels.indices {
                        z[(i * labels.count + k) * config.latentDim] = Float(code.z0)
                        z[(i * labels.count + k) * config.latentDim + 1] = Float(code.z1)
                    }
                }
                let all = Array(repeating: labels, count: codes.count).flatMap { $0 }
                return decode(z, labels: Batch.oneHot(all, data: config.data))
            })
    }

    /// z_mean of images [N,S,S,C] encoded with their one-hot labels [N,classes].
    public func encodeMean(_ x: Tensor, labels y: Tensor) -> Tensor {
        networks().encode(Variable(x), Variable(y)).mean.value
    }

    /// Decode latent codes [N, latent] with one-hot labels [N, classes]: images [N,S,S,C].
    public func decode(_ z: Tensor, labels y: Tensor) -> Tensor {
        networks().decode(Variable(z), Variable(y)).value
    }

    /// Style transfer: images x [N,S,S,C] of label `source`, encoded with it (z_mean), then
    /// decoded with each of `targets`: one [N,S,S,C] tensor per target, in order.
    public func restyle(_ x: Tensor, from source: Int, to targets: [Int]) -> [Tensor] {
        let n = x.shape[0]
        let z = encodeMean(x, labels: Batch.oneHot(Array(repeating: source, count: n), data: config.data))
        return targets.map { decode(z, labels: Batch.oneHot(Array(repeating: $0, count: n), data: config.data)) }
    }

    /// dec(z_mean(x), y): the deterministic reconstruction.
    public func reconstruct(_ x: Tensor, labels y: Tensor) -> Tensor {
        decode(encodeMean(x, labels: y), labels: y)
    }

    /// The inverse of the standard normal CDF: Acklam's rational approximation refined by one
    /// Halley step on erfc, accurate to double precision on (0, 1).
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1)
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
        ]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * Foundation.log(p)).squareRoot()
            x =
                (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x =
                (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * Foundation.log(1 - p)).squareRoot()
            x =
                -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * Foundation.exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
