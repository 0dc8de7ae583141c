import Dispatch

/// Splits elementwise work across the threads set with `Threads.set`. Every element is computed
/// the same way whatever the split, so results do not depend on the thread count.
public enum Parallel {
    /// Run `body` over 0..<n in contiguous pieces, on up to `Threads.count` threads. Work below
    /// `grain` elements runs on the calling thread.
    @inline(__always)
    public static func forRanges(_ n: Int, grain: Int = 1 << 15, _ body: (Range<Int>) -> Void) {
        let workers = min(Threads.count, max(1, n / grain))
        if workers <= 1 { body(0..<n); return }
        // concurrentPerform returns only when every piece has run, so `body` and what it captures
        // outlive the workers; the pieces are disjoint.
        withoutActuallyEscaping(body) { body in
            let shared = Unchecked(body)
            DispatchQueue.concurrentPerform(iterations: workers) { k in
                shared.value((n * k / workers)..<(n * (k + 1) / workers))
            }
        }
    }
}

/// Dropout masks from a counter-based generator: element i of a mask with key k is kept when
/// hash(k, i) falls below the keep probability. Any element can be recomputed on its own, so masks
/// need no storage (the backward pass recomputes them) and are filled in parallel and in SIMD.
public struct DropoutMask: Sendable {
    public let key: UInt64
    /// Elements are kept when their 24-bit hash is below this.
    public let threshold: UInt32

    public init(key: UInt64, keep: Float) {
        self.key = key
        threshold = UInt32((Double(keep) * Double(1 << 24)).rounded())
    }

    /// Chris Wellons' lowbias32 integer hash, applied twice around the two halves of the key.
    @inline(__always)
    static func mix(_ v: UInt32) -> UInt32 {
        var x = v
        x ^= x >> 16; x &*= 0x7FEB_352D
        x ^= x >> 15; x &*= 0x846C_A68B
        x ^= x >> 16
        return x
    }

    @inline(__always)
    public func keeps(_ i: Int) -> Bool {
        let h = Self.mix(
            Self.mix(UInt32(truncatingIfNeeded: i) ^ UInt32(truncatingIfNeeded: key))
                ^ UInt32(truncatingIfNeeded: key >> 32))
        return h >> 8 < threshold
    }
}
