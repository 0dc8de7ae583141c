import Foundation

public extension Tape {
    /// Softmax cross-entropy per row, as TensorFlow's softmax_cross_entropy_with_logits:
    ///     loss[n] = -sum_j t[n,j] * log softmax(x[n])_j,   log softmax(x)_j = x_j - logsumexp(x)
    /// (logsumexp taken after subtracting the row maximum, so large logits cannot overflow).
    /// d/dx[n,j] = dy[n] * (softmax_j * sum_k t[n,k] - t[n,j]), d/dt[n,j] = -dy[n] * log softmax_j.
    /// Labels [N, C] (one-hot, or any distribution), logits [N, C]; losses [N].
    func softmaxCrossEntropy(labels t: Variable, logits x: Variable) -> Variable {
        precondition(t.shape == x.shape && x.shape.count == 2, "softmax xent: labels \(t.shape) logits \(x.shape)")
        let (n, c) = (x.shape[0], x.shape[1])
        let xd = x.value.data, td = t.value.data
        // log softmax, kept for the backward pass (N x C: small next to any activation).
        let logSoftmax = Tensor(shape: [n, c], uninitialized: true)
        let ls = logSoftmax.data
        let y = Tensor(shape: [n], uninitialized: true)
        for r in 0..<n {
            let row = xd + r * c, out = ls + r * c
            var top = row[0]
            for j in 1..<c { top = Swift.max(top, row[j]) }
            var total: Float = 0
            for j in 0..<c { total += Foundation.exp(row[j] - top) }
            // log softmax_j = (x_j - top) - log(total): no large number is formed and subtracted.
            let logTotal = Foundation.log(total)
            var loss: Float = 0
            for j in 0..<c { out[j] = (row[j] - top) - logTotal; loss -= td[r * c + j] * out[j] }
            y.data[r] = loss
        }
        return record(y, inputs: [t, x]) { out in
            let dy = out.grad!.data, ls = logSoftmax.data  // the closure must own the tensor, not just its pointer
            if x.needsGrad {
                let dx = x.gradBuffer().data
                for r in 0..<n {
                    var mass: Float = 0
                    for j in 0..<c { mass += td[r * c + j] }
                    for j in 0..<c { dx[r * c + j] += dy[r] * (Foundation.exp(ls[r * c + j]) * mass - td[r * c + j]) }
                }
            }
            if t.needsGrad {
                let dt = t.gradBuffer().data
                for r in 0..<n { for j in 0..<c { dt[r * c + j] -= dy[r] * ls[r * c + j] } }
            }
        }
    }
}
