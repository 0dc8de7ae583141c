/// The small linear maps of Winograd F(4x4, 3x3) and their transposes, each applied to many
/// vectors of channels at once: `s + i * ss` is the i-th input vector and `d + j * ds` the j-th
/// output, each `n` floats long. Applied once along the rows and once along the columns of a tile,
/// they give the 2-D transforms (B^T d B, G g G^T, A^T M A and the transposes).
///
///     B^T = [ 4  0 -5  0  1  0 ]      G = [  1/4     0     0  ]      A^T = [ 1  1  1  1  1  0 ]
///           [ 0 -4 -4  1  1  0 ]          [ -1/6  -1/6  -1/6  ]            [ 0  1 -1  2 -2  0 ]
///           [ 0  4 -4 -1  1  0 ]          [ -1/6   1/6  -1/6  ]            [ 0  1  1  4  4  0 ]
///           [ 0 -2 -1  2  1  0 ]          [ 1/24  1/12   1/6  ]            [ 0  1 -1  8 -8  1 ]
///           [ 0  2 -1 -2  1  0 ]          [ 1/24 -1/12   1/6  ]
///           [ 0  4  0 -5  0  1 ]          [   0     0     1   ]
enum Transform {
    typealias P = UnsafeMutablePointer<Float>

    /// B^T (6 -> 6): the input transform.
    static func bt(_ s: P, _ ss: Int, _ d: P, _ ds: Int, _ n: Int) { run(BT.self, s, ss, d, ds, n) }
    /// B (6 -> 6): its transpose, for the input gradient.
    static func b(_ s: P, _ ss: Int, _ d: P, _ ds: Int, _ n: Int) { run(B.self, s, ss, d, ds, n) }
    /// A^T (6 -> 4): the output transform.
    static func at(_ s: P, _ ss: Int, _ d: P, _ ds: Int, _ n: Int) { run(AT.self, s, ss, d, ds, n) }
    /// A (4 -> 6): its transpose, for the output gradient.
    static func a(_ s: P, _ ss: Int, _ d: P, _ ds: Int, _ n: Int) { run(A.self, s, ss, d, ds, n) }
    /// G (3 -> 6): the kernel transform.
    static func g(_ s: P, _ ss: Int, _ d: P, _ ds: Int, _ n: Int) { run(G.self, s, ss, d, ds, n) }
    /// G^T (6 -> 3): its transpose, for the kernel gradient.
    static func gt(_ s: P, _ ss: Int, _ d: P, _ ds: Int, _ n: Int) { run(GT.self, s, ss, d, ds, n) }

    /// Eight channels at a time, then one at a time.
    @inline(__always)
    private static func run<M: LinearMap>(_: M.Type, _ s: P, _ ss: Int, _ d: P, _ ds: Int, _ n: Int) {
        var c = 0
        while c + 8 <= n { M.apply(SIMD8<Float>.self, s + c, ss, d + c, ds); c += 8 }
        while c < n { M.apply(Float.self, s + c, ss, d + c, ds); c += 1 }
    }
}

/// A float or a vector of floats, loaded from and stored to unaligned memory.
protocol Lane {
    static func load(_ p: UnsafeMutablePointer<Float>) -> Self
    func store(_ p: UnsafeMutablePointer<Float>)
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Float) -> Self
    static prefix func - (a: Self) -> Self
}

extension Float: Lane {
    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> Float { p.pointee }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) { p.pointee = self }
}

extension SIMD8: Lane where Scalar == Float {
    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> Self {
        UnsafeRawPointer(p).loadUnaligned(as: Self.self)
    }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self)
    }
}

private protocol LinearMap {
    static func apply<L: Lane>(
        _: L.Type, _ s: UnsafeMutablePointer<Float>, _ ss: Int, _ d: UnsafeMutablePointer<Float>, _ ds: Int)
}

private enum BT: LinearMap {
    @inline(__always)
    static func apply<L: Lane>(
        _: L.Type, _ s: UnsafeMutablePointer<Float>, _ ss: Int, _ d: UnsafeMutablePointer<Float>, _ ds: Int
    ) {
        let x0 = L.load(s), x1 = L.load(s + ss), x2 = L.load(s + 2 * ss)
        let x3 = L.load(s + 3 * ss), x4 = L.load(s + 4 * ss), x5 = L.load(s + 5 * ss)
        (x0 * 4 - x2 * 5 + x4).store(d)
        (x3 + x4 - (x1 + x2) * 4).store(d + ds)
        ((x1 - x2) * 4 + x4 - x3).store(d + 2 * ds)
        ((x3 - x1) * 2 + x4 - x2).store(d + 3 * ds)
        ((x1 - x3) * 2 + x4 - x2).store(d + 4 * ds)
        (x1 * 4 - x3 * 5 + x5).store(d + 5 * ds)
    }
}

private enum B: LinearMap {
    @inline(__always)
    static func apply<L: Lane>(
        _: L.Type, _ s: UnsafeMutablePointer<Float>, _ ss: Int, _ d: UnsafeMutablePointer<Float>, _ ds: Int
    ) {
        let x0 = L.load(s), x1 = L.load(s + ss), x2 = L.load(s + 2 * ss)
        let x3 = L.load(s + 3 * ss), x4 = L.load(s + 4 * ss), x5 = L.load(s + 5 * ss)
        (x0 * 4).store(d)
        ((x2 - x1 + x5) * 4 + (x4 - x3) * 2).store(d + ds)
        (-(x0 * 5) - (x1 + x2) * 4 - x3 - x4).store(d + 2 * ds)
        (x1 - x2 + (x3 - x4) * 2 - x5 * 5).store(d + 3 * ds)
        (x0 + x1 + x2 + x3 + x4).store(d + 4 * ds)
        x5.store(d + 5 * ds)
    }
}

private enum AT: LinearMap {
    @inline(__always)
    static func apply<L: Lane>(
        _: L.Type, _ s: UnsafeMutablePointer<Float>, _ ss: Int, _ d: UnsafeMutablePointer<Float>, _ ds: Int
    ) {
        let x0 = L.load(s), x1 = L.load(s + ss), x2 = L.load(s + 2 * ss)
        let x3 = L.load(s + 3 * ss), x4 = L.load(s + 4 * ss), x5 = L.load(s + 5 * ss)
        let p12 = x1 + x2, m12 = x1 - x2, p34 = x3 + x4, m34 = x3 - x4
        (x0 + p12 + p34).store(d)
        (m12 + m34 * 2).store(d + ds)
        (p12 + p34 * 4).store(d + 2 * ds)
        (m12 + m34 * 8 + x5).store(d + 3 * ds)
    }
}

private enum A: LinearMap {
    @inline(__always)
    static func apply<L: Lane>(
        _: L.Type, _ s: UnsafeMutablePointer<Float>, _ ss: Int, _ d: UnsafeMutablePointer<Float>, _ ds: Int
    ) {
        let y0 = L.load(s), y1 = L.load(s + ss), y2 = L.load(s + 2 * ss), y3 = L.load(s + 3 * ss)
        y0.store(d)
        (y0 + y1 + y2 + y3).store(d + ds)
        (y0 - y1 + y2 - y3).store(d + 2 * ds)
        (y0 + y1 * 2 + y2 * 4 + y3 * 8).store(d + 3 * ds)
        (y0 - y1 * 2 + y2 * 4 - y3 * 8).store(d + 4 * ds)
        y3.store(d + 5 * ds)
    }
}

private enum G: LinearMap {
    @inline(__always)
    static func apply<L: Lane>(
        _: L.Type, _ s: UnsafeMutablePointer<Float>, _ ss: Int, _ d: UnsafeMutablePointer<Float>, _ ds: Int
    ) {
        let g0 = L.load(s), g1 = L.load(s + ss), g2 = L.load(s + 2 * ss)
        let sixth: Float = 1.0 / 6.0, twelfth: Float = 1.0 / 12.0, quarter: Float = 0.25
        (g0 * quarter).store(d)
        (-(g0 + g1 + g2) * sixth).store(d + ds)
        ((g1 - g0 - g2) * sixth).store(d + 2 * ds)
        ((g0 * quarter + g2) * sixth + g1 * twelfth).store(d + 3 * ds)
        ((g0 * quarter + g2) * sixth - g1 * twelfth).store(d + 4 * ds)
        g2.store(d + 5 * ds)
    }
}

private enum GT: LinearMap {
    @inline(__always)
    static func apply<L: Lane>(
        _: L.Type, _ s: UnsafeMutablePointer<Float>, _ ss: Int, _ d: UnsafeMutablePointer<Float>, _ ds: Int
    ) {
        let u0 = L.load(s), u1 = L.load(s + ss), u2 = L.load(s + 2 * ss)
        let u3 = L.load(s + 3 * ss), u4 = L.load(s + 4 * ss), u5 = L.load(s + 5 * ss)
        let sixth: Float = 1.0 / 6.0, twelfth: Float = 1.0 / 12.0, quarter: Float = 0.25
        let p34 = u3 + u4, m34 = u3 - u4
        (u0 * quarter + (p34 * quarter - u1 - u2) * sixth).store(d)
        ((u2 - u1) * sixth + m34 * twelfth).store(d + ds)
        ((p34 - u1 - u2) * sixth + u5).store(d + 2 * ds)
    }
}
