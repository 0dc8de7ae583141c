import Datasets
import Tensor

/// One training batch: images, one-hot labels, and the two noise tensors of the model.
public struct Batch {
    /// [N, S, S, C], pixel/255, channels last.
    public let x: Tensor
    /// [N, classes], one-hot.
    public let y: Tensor
    /// z_p ~ N(0, I), [N, latent]: the prior sample the decoder draws from.
    public let zp: Tensor

    public init(x: Tensor, y: Tensor, zp: Tensor) { self.x = x; self.y = y; self.zp = zp }

    public var size: Int { x.shape[0] }

    /// Gather examples `indices` of `set`, with a fresh z_p.
    public init(
        _ set: DigitSet, indices: some Collection<Int>, latentDim: Int, data: DataDescription, rng: inout RNG
    ) {
        x = Self.images(set, indices)
        y = Self.oneHot(indices.map { Int(set.labels[$0]) }, data: data)
        zp = Tensor.normal([indices.count, latentDim], rng: &rng)
    }

    public static func images(_ set: DigitSet, _ indices: some Collection<Int>) -> Tensor {
        let x = Tensor(shape: [indices.count, set.rows, set.columns, set.channels])
        for (k, i) in indices.enumerated() {
            set.images.withUnsafeBufferPointer { src in
                (x.data + k * set.pixelsPerImage).update(
                    from: src.baseAddress! + i * set.pixelsPerImage, count: set.pixelsPerImage)
            }
        }
        return x
    }

    /// Each label as a row of `data.classes.count`, all zero but a one at the label.
    public static func oneHot(_ labels: [Int], data: DataDescription) -> Tensor {
        let classes = data.classes.count
        let y = Tensor(shape: [labels.count, classes])
        for (k, l) in labels.enumerated() { y.data[k * classes + l] = 1 }
        return y
    }
}

public extension DigitSet {
    /// `n` images of noise shaped like `data`'s (values in [0, 1], half of them 0) with labels
    /// 0, 1, 2, ... round its classes: data for timing and testing the model where MNIST is not needed.
    static func noise(_ n: Int, data: DataDescription, rng: inout RNG) -> DigitSet {
        DigitSet(
            images: (0..<(n * data.pixels)).map { _ in max(0, rng.uniformFloat() * 2 - 1) },
            labels: (0..<n).map { UInt8($0 % data.classes.count) }, rows: data.side, columns: data.side,
            channels: data.channels)
    }
}
