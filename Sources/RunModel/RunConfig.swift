import MNIST
import RunFolder
import Tensor
import VAEGAN

/// A run of this program: its config.json with the model section read as the VAE+GAN's settings.
public typealias RunConfig = RunConfiguration<ModelConfig>

extension ModelConfig: ModelSection {
    /// The model settings config.json may hold (a hand-edited file can hold others).
    public var problem: String? {
        if !Self.latentDims.contains(latentDim) { return "latentDim \(latentDim) is outside \(Self.latentDims)" }
        if classes != Digit.labels.count { return "classes must be \(Digit.labels.count)" }
        if !(dropout >= 0 && dropout < 1) { return "dropout must be in [0, 1)" }
        return gammaProblem
    }
}

/// Tensors as a file stores them, and back.
public extension StoredArray {
    init(_ t: Tensor) { self.init(shape: t.shape, values: t.array) }
}

public extension Tensor {
    convenience init(_ a: StoredArray) { self.init(shape: a.shape, values: a.values) }
}

public extension Snapshot {
    /// Images [N, 28, 28, 1] in [0, 1] as N byte digits.
    static func digits(_ t: Tensor) -> [[UInt8]] {
        (0..<t.shape[0]).map { quantise(UnsafeBufferPointer(start: t.data + $0 * Digit.pixels, count: Digit.pixels)) }
    }
}
