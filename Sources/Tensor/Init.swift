/// Keras 2's default initialisers: glorot_uniform kernels and zero biases.
public enum Initializer {
    /// The Glorot-uniform limit sqrt(6 / (fan_in + fan_out)). For a conv kernel (kh, kw, cin, cout)
    /// fan_in = kh*kw*cin and fan_out = kh*kw*cout; for a dense kernel (in, out) they are in and out.
    public static func glorotLimit(kernelShape s: [Int]) -> Float {
        let receptive = s.dropLast(2).reduce(1, *)
        let fanIn = receptive * s[s.count - 2]
        let fanOut = receptive * s[s.count - 1]
        return (6 / Float(fanIn + fanOut)).squareRoot()
    }

    public static func glorotUniform(_ shape: [Int], rng: inout RNG) -> Tensor {
        let t = Tensor(shape: shape)
        let limit = glorotLimit(kernelShape: shape)
        rng.fillUniform(t.buffer, low: -limit, high: limit)
        return t
    }
}
