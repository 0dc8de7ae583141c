import Datasets
import RunFolder
import Tensor

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
