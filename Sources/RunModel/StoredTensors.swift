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
    /// Images [N, S, S, C] in [0, 1] as N images of bytes.
    static func digits(_ t: Tensor) -> [[UInt8]] {
        let size = t.shape.dropFirst().reduce(1, *)
        return (0..<t.shape[0]).map { quantise(UnsafeBufferPointer(start: t.data + $0 * size, count: size)) }
    }
}
