/// The Fréchet distance between two Gaussians fitted to feature sets (the "FID" of image
/// generation, here on the MNIST classifier's features):
///
///     d² = |mu_a - mu_b|² + tr(C_a) + tr(C_b) - 2 tr( (C_a^½ C_b C_a^½)^½ )
///
/// C_a^½ C_b C_a^½ is symmetric positive semi-definite, so both square roots come from a
/// symmetric eigendecomposition (`SymmetricEigen`), in double precision.
public enum FrechetDistance {
    /// Mean and covariance (divided by n - 1) of the rows of a row-major [n, d] matrix.
    public struct Gaussian {
        public let mean: [Double]
        /// d x d, row-major.
        public let covariance: [Double]
        public var dimension: Int { mean.count }

        public init(mean: [Double], covariance: [Double]) {
            precondition(covariance.count == mean.count * mean.count)
            self.mean = mean; self.covariance = covariance
        }

        public init(rows: UnsafeBufferPointer<Float>, count n: Int, dimension d: Int) {
            precondition(n >= 2 && rows.count == n * d, "a covariance needs at least two rows")
            var mean = [Double](repeating: 0, count: d)
            for r in 0..<n { for j in 0..<d { mean[j] += Double(rows[r * d + j]) } }
            for j in 0..<d { mean[j] /= Double(n) }
            var cov = [Double](repeating: 0, count: d * d)
            var centred = [Double](repeating: 0, count: d)
            for r in 0..<n {
                for j in 0..<d { centred[j] = Double(rows[r * d + j]) - mean[j] }
                for i in 0..<d where centred[i] != 0 {
                    let ci = centred[i]
                    for j in i..<d { cov[i * d + j] += ci * centred[j] }
                }
            }
            for i in 0..<d {
                for j in i..<d {
                    cov[i * d + j] /= Double(n - 1)
                    cov[j * d + i] = cov[i * d + j]
                }
            }
            self.init(mean: mean, covariance: cov)
        }
    }

    public static func distance(_ a: Gaussian, _ b: Gaussian) -> Double {
        precondition(a.dimension == b.dimension)
        let d = a.dimension
        let meanTerm = zip(a.mean, b.mean).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        let trA = (0..<d).map { a.covariance[$0 * d + $0] }.reduce(0, +)
        let trB = (0..<d).map { b.covariance[$0 * d + $0] }.reduce(0, +)
        let rootA = squareRoot(a.covariance, d)
        let inner = multiply(multiply(rootA, b.covariance, d), rootA, d)
        // Tiny negative eigenvalues are rounding of a semi-definite matrix: clamp them to zero.
        let crossTerm = SymmetricEigen(symmetrize(inner, d), dimension: d).values.map { ($0 > 0 ? $0 : 0).squareRoot() }
            .reduce(0, +)
        return max(0, meanTerm + trA + trB - 2 * crossTerm)
    }

    /// The symmetric positive semi-definite square root V diag(sqrt(λ)) Vᵀ.
    static func squareRoot(_ m: [Double], _ d: Int) -> [Double] {
        let e = SymmetricEigen(m, dimension: d)
        var out = [Double](repeating: 0, count: d * d)
        for k in 0..<d {
            let s = (e.values[k] > 0 ? e.values[k] : 0).squareRoot()
            guard s > 0 else { continue }
            for i in 0..<d {
                let vi = e.vectors[i * d + k] * s
                for j in 0..<d { out[i * d + j] += vi * e.vectors[j * d + k] }
            }
        }
        return out
    }

    static func multiply(_ a: [Double], _ b: [Double], _ d: Int) -> [Double] {
        var out = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for k in 0..<d {
                let aik = a[i * d + k]
                guard aik != 0 else { continue }
                for j in 0..<d { out[i * d + j] += aik * b[k * d + j] }
            }
        }
        return out
    }

    static func symmetrize(_ m: [Double], _ d: Int) -> [Double] {
        var out = m
        for i in 0..<d { for j in 0..<d { out[i * d + j] = (m[i * d + j] + m[j * d + i]) / 2 } }
        return out
    }
}

/// Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method: rotate
/// away each off-diagonal entry in turn until all are negligible. Slow (O(d³) per sweep, a
/// handful of sweeps) but simple and accurate; d is 128 here.
public struct SymmetricEigen {
    /// Eigenvalues, in no particular order.
    public let values: [Double]
    /// Column k (entries [i * d + k]) is the unit eigenvector of values[k].
    public let vectors: [Double]

    public init(_ matrix: [Double], dimension d: Int) {
        precondition(matrix.count == d * d)
        var a = matrix
        var v = [Double](repeating: 0, count: d * d)
        for i in 0..<d { v[i * d + i] = 1 }
        let scale = a.map { $0 * $0 }.reduce(0, +)
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<d { for j in (i + 1)..<d { off += a[i * d + j] * a[i * d + j] } }
            if off <= 1e-30 * scale || off == 0 { break }
            for p in 0..<d {
                for q in (p + 1)..<d {
                    let apq = a[p * d + q]
                    guard apq != 0 else { continue }
                    // The rotation that zeroes a[p][q] (Numerical Recipes' stable form).
                    let theta = (a[q * d + q] - a[p * d + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<d {  // columns p and q
                        let akp = a[k * d + p], akq = a[k * d + q]
                        a[k * d + p] = c * akp - s * akq
                        a[k * d + q] = s * akp + c * akq
                    }
                    for k in 0..<d {  // rows p and q
                        let apk = a[p * d + k], aqk = a[q * d + k]
                        a[p * d + k] = c * apk - s * aqk
                        a[q * d + k] = s * apk + c * aqk
                    }
                    for k in 0..<d {
                        let vkp = v[k * d + p], vkq = v[k * d + q]
                        v[k * d + p] = c * vkp - s * vkq
                        v[k * d + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        values = (0..<d).map { a[$0 * d + $0] }
        vectors = v
    }
}
