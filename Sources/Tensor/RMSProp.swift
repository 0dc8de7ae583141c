/// `tf.train.RMSPropOptimizer` of TensorFlow 1 with momentum 0, which differs from most other
/// RMSProps in two places: the mean-square accumulator starts at ONE, and epsilon sits INSIDE the
/// square root.
///
///     ms = ms + (g^2 - ms) * (1 - rho)
///     w  = w - lr * g / sqrt(ms + eps)
public final class RMSProp {
    /// May be changed between steps (a schedule).
    public var learningRate: Float
    public let rho: Float
    public let epsilon: Float
    /// One accumulator per parameter, in the order of `parameters`.
    public private(set) var meanSquares: [Tensor]
    public let parameters: [Variable]

    public init(parameters: [Variable], learningRate: Float, rho: Float = 0.9, epsilon: Float = 1e-10) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.rho = rho
        self.epsilon = epsilon
        meanSquares = parameters.map { Tensor(shape: $0.shape, repeating: 1) }
    }

    /// Apply the gradients left in the parameters by `Tape.backward`, then clear them. A parameter
    /// with no gradient (TensorFlow's `None`) is left alone, accumulator included.
    public func step() {
        let lr = learningRate, decay = 1 - rho, eps = epsilon
        for (p, ms) in zip(parameters, meanSquares) {
            guard let g = p.grad else { continue }
            let w = p.value.data, gd = g.data, m = ms.data
            for i in 0..<p.value.count {
                let gi = gd[i]
                m[i] += (gi * gi - m[i]) * decay
                w[i] -= lr * gi / (m[i] + eps).squareRoot()
            }
            p.clearGrad()
        }
    }

    /// Replace the accumulators (from a checkpoint); shapes must match the parameters.
    public func restore(meanSquares saved: [Tensor]) {
        precondition(saved.count == parameters.count && zip(saved, parameters).allSatisfy { $0.shape == $1.shape })
        meanSquares = saved
    }
}
