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
