import Foundation

/// A seeded random generator: xoshiro256** (Blackman & Vigna), seeded through splitmix64.
///
/// Its whole state is four words, saved in checkpoints so that a resumed run draws exactly the
/// numbers an uninterrupted one would. Normal deviates use the Box-Muller transform in double
/// precision, two per pair of uniforms, so results do not depend on the platform's libm ordering.
public struct RNG: Equatable, Sendable {
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator for `seed`; different `stream`s of one seed are independent sequences.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var x = seed &+ stream &* 0x9E37_79B9_7F4A_7C15
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// Restore a saved state (all-zero is the one state xoshiro cannot leave, so it is refused).
    public init?(state words: [UInt64]) {
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
        state = (words[0], words[1], words[2], words[3])
    }

    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    public static func == (a: RNG, b: RNG) -> Bool { a.stateWords == b.stateWords }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 24 random bits (every float32 multiple of 2^-24).
    @inline(__always)
    public mutating func uniformFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in (0, 1] with 53 random bits; never zero, so its logarithm is finite.
    @inline(__always)
    public mutating func uniformOpenDouble() -> Double { (Double(next() >> 11) + 1) * 0x1p-53 }

    /// Uniform integer in 0..<bound, without modulo bias (Lemire's method).
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// Fill with uniform values in [low, high).
    public mutating func fillUniform(_ out: UnsafeMutableBufferPointer<Float>, low: Float, high: Float) {
        let span = high - low
        for i in out.indices { out[i] = low + span * uniformFloat() }
    }

    /// Fill with standard normal values (Box-Muller in double precision).
    public mutating func fillNormal(_ out: UnsafeMutableBufferPointer<Float>) {
        var i = 0
        while i < out.count {
            let r = (-2 * Foundation.log(uniformOpenDouble())).squareRoot()
            let theta = 2 * Double.pi * Double(next() >> 11) * 0x1p-53
            out[i] = Float(r * Foundation.cos(theta))
            if i + 1 < out.count { out[i + 1] = Float(r * Foundation.sin(theta)) }
            i += 2
        }
    }

    /// A uniformly random permutation of 0..<n (Fisher-Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            p.swapAt(i, int(below: i + 1))
        }
        return p
    }
}

public extension Tensor {
    /// A tensor of standard normal values.
    static func normal(_ shape: [Int], rng: inout RNG) -> Tensor {
        let t = Tensor(shape: shape)
        rng.fillNormal(t.buffer)
        return t
    }
}
