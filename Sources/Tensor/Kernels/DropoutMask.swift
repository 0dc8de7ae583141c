import Dispatch

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
