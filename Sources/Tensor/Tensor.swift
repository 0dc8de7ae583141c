import Foundation

/// A dense float32 array with a shape, stored contiguously in row-major order.
///
/// Activations are NHWC (batch, height, width, channels) and convolution kernels HWIO
/// (height, width, in, out), the layout of Keras and of the reference checkpoints. The storage is
/// 64-byte aligned so that oneDNN and OpenBLAS can use their widest loads on it.
public final class Tensor {
    public let shape: [Int]
    public let count: Int
    public let data: UnsafeMutablePointer<Float>
    /// Floats allocated at `data` (a recycled buffer may be larger than `count`).
    private let capacity: Int
    /// For a view (`viewed(as:)`), the tensor whose storage it shares: kept alive by the view, and
    /// the one that gives the storage back.
    private let base: Tensor?

    /// A zero-filled tensor, or with `uninitialized`, one whose every element the caller writes.
    public init(shape: [Int], uninitialized: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.count = shape.reduce(1, *)
        (data, capacity) = BufferPool.shared.take(floats: max(count, 1))
        base = nil
        if !uninitialized { data.initialize(repeating: 0, count: max(count, 1)) }
    }

    private init(viewing base: Tensor, shape: [Int]) {
        self.shape = shape
        count = base.count
        data = base.data
        capacity = 0
        self.base = base.base ?? base
    }

    public convenience init(shape: [Int], values: [Float]) {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
        self.init(shape: shape)
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    public convenience init(shape: [Int], repeating value: Float) {
        self.init(shape: shape)
        data.update(repeating: value, count: count)
    }

    deinit { if base == nil { BufferPool.shared.give(data, capacity: capacity) } }

    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }
    public var array: [Float] { Array(buffer) }
    public var rank: Int { shape.count }

    public subscript(i: Int) -> Float {
        get { data[i] }
        set { data[i] = newValue }
    }

    /// A new tensor with the same values and shape.
    public func copy() -> Tensor {
        let t = Tensor(shape: shape, uninitialized: true)
        t.data.update(from: data, count: count)
        return t
    }

    /// The same storage under another shape with the same element count: writes through either
    /// show in both.
    public func viewed(as newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot view \(shape) as \(newShape)")
        return Tensor(viewing: self, shape: newShape)
    }

    public func fill(_ value: Float) { data.update(repeating: value, count: count) }

    /// self += other, elementwise.
    public func add(_ other: Tensor) {
        precondition(other.count == count, "add: \(other.shape) into \(shape)")
        // Locals: through `self.data` the compiler must assume each store may change the fields.
        let d = data, o = other.data, n = count
        for i in 0..<n { d[i] += o[i] }
    }

    /// Rows `start..<end` of the leading (batch) dimension, copied.
    public func rows(_ range: Range<Int>) -> Tensor {
        let per = count / max(shape[0], 1)
        var s = shape
        s[0] = range.count
        let t = Tensor(shape: s, uninitialized: true)
        t.data.update(from: data + range.lowerBound * per, count: range.count * per)
        return t
    }

    public var sum: Double {
        var s = 0.0
        for i in 0..<count { s += Double(data[i]) }
        return s
    }

    /// True if every element is finite.
    public var isFinite: Bool {
        for i in 0..<count where !data[i].isFinite { return false }
        return true
    }

    /// Tensors stacked along the leading dimension; all must agree in the other dimensions.
    public static func concatRows(_ parts: [Tensor]) -> Tensor {
        let inner = Array(parts[0].shape.dropFirst())
        precondition(parts.allSatisfy { Array($0.shape.dropFirst()) == inner }, "concatRows: shapes differ")
        let t = Tensor(shape: [parts.reduce(0) { $0 + $1.shape[0] }] + inner)
        var offset = 0
        for p in parts {
            (t.data + offset).update(from: p.data, count: p.count)
            offset += p.count
        }
        return t
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = buffer.prefix(6).map { String(format: "%.5g", Double($0)) }.joined(separator: ", ")
        return "Tensor\(shape)[\(head)\(count > 6 ? ", ..." : "")]"
    }
}
