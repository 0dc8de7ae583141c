import Foundation

/// A dictionary that threads share behind a lock: the engine's caches of kernels, each created
/// once per shape and then reused. Values are created under the lock, so each exactly once.
public final class SharedCache<Key: Hashable, Value>: @unchecked Sendable {
    private var values: [Key: Value] = [:]
    private let lock = NSLock()

    public init() {}

    public func value(for key: Key, create: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let v = values[key] { return v }
        let v = create()
        values[key] = v
        return v
    }
}

/// A value handed across a concurrency boundary that the compiler cannot see is safe: buffers
/// that parallel loops write in disjoint parts, closures run only while their caller waits.
/// Each use says why it is safe.
public struct Unchecked<T>: @unchecked Sendable {
    public let value: T
    public init(_ value: T) { self.value = value }
}
