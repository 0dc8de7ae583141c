import Dispatch
import Synchronization

/// Wall time per op (forward and backward), for `vaegan-render bench`: how a step splits across
/// layers. A tape with a profiler attributes the time since its previous op to each recorded op,
/// and times each backward closure.
public final class OpProfiler {
    public struct Entry: Sendable {
        public var forward = 0.0, backward = 0.0
        public var calls = 0
    }

    public private(set) var entries: [String: Entry] = [:]
    var last = DispatchTime.now().uptimeNanoseconds

    public init() {}

    /// Start timing a forward pass here (time before this belongs to no op).
    public func mark() { last = DispatchTime.now().uptimeNanoseconds }

    func forwardDone(_ op: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        entries[op, default: Entry()].forward += Double(now - last) * 1e-9
        entries[op, default: Entry()].calls += 1
        last = now
    }

    func backward(_ op: String, _ body: () -> Void) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        entries[op, default: Entry()].backward += Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    public func reset() { entries = [:]; mark() }
}

/// Floating-point operations done by the heavy kernels (convolutions and dense layers, each
/// multiply-add counted as two), for `bench`'s GFLOPS of whole steps.
public enum FlopCounter {
    /// Operations since the last reset (atomic, so that any thread may count).
    private static let count = Atomic<Int>(0)

    public static var total: Double { Double(count.load(ordering: .relaxed)) }
    public static func reset() { count.store(0, ordering: .relaxed) }

    @inline(__always) static func add(_ flops: Double) { count.add(Int(flops), ordering: .relaxed) }
}
