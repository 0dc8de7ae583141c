import Foundation

/// Tensor storage, recycled. A training step allocates and frees the same few dozen large
/// buffers every time; handing them straight back to the system would fault in and zero fresh
/// pages on every step (measured: ~250 MB of page faults in a handful of ops). Freed buffers are
/// kept by size, up to a bound, and reused; contents of a reused buffer are unspecified, as with
/// malloc.
final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool()

    /// Keep at most this many bytes of idle buffers.
    let limit = 1 << 30
    private var idle: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var idleBytes = 0
    private let lock = NSLock()

    func take(floats n: Int) -> UnsafeMutablePointer<Float> {
        lock.lock()
        if let p = idle[n]?.popLast() {
            idleBytes -= n * 4
            lock.unlock()
            return p
        }
        lock.unlock()
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * 4, alignment: 64)
        return raw.bindMemory(to: Float.self, capacity: n)
    }

    func give(_ p: UnsafeMutablePointer<Float>, floats n: Int) {
        // Small buffers are cheap for malloc; pool only those worth a page or more.
        if n >= 1024 {
            lock.lock()
            if idleBytes + n * 4 <= limit {
                idle[n, default: []].append(p)
                idleBytes += n * 4
                lock.unlock()
                return
            }
            lock.unlock()
        }
        UnsafeMutableRawPointer(p).deallocate()
    }
}
