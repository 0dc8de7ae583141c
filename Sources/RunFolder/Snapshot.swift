import Foundation
import MNIST

/// What the recorder keeps of the model at one saved period (docs/MODEL.md §6), quantised to
/// bytes (0 = 0.0, 255 = 1.0): about 59 dB PSNR, far above what an 8-bit video frame keeps.
public struct Snapshot: Equatable, Sendable {
    public var period: Int
    /// The iteration after which it was taken (period * iterations per period).
    public var iteration: Int
    /// Side of a manifold grid in pixels (15 cells * 28 = 420).
    public var gridSize: Int
    /// One grid per label 0..9, gridSize x gridSize bytes, row-major.
    public var grids: [[UInt8]]
    /// Fixed test digits (28x28 bytes each) and their reconstructions dec(z_mean(x), y).
    public var originals: [[UInt8]]
    public var reconstructions: [[UInt8]]
    /// z_mean dims 0 and 1 of a fixed set of test digits, and their labels.
    public var zPoints: [SIMD2<Float>]
    public var zLabels: [UInt8]

    public init(
        period: Int, iteration: Int, gridSize: Int, grids: [[UInt8]], originals: [[UInt8]],
        reconstructions: [[UInt8]], zPoints: [SIMD2<Float>], zLabels: [UInt8]
    ) {
        self.period = period; self.iteration = iteration; self.gridSize = gridSize; self.grids = grids
        self.originals = originals; self.reconstructions = reconstructions; self.zPoints = zPoints;
        self.zLabels = zLabels
    }

    /// A value in [0, 1] as a byte.
    @inline(__always)
    public static func quantise(_ v: Float) -> UInt8 { UInt8(max(0, min(255, (v * 255).rounded()))) }

    public static func quantise(_ values: UnsafeBufferPointer<Float>) -> [UInt8] { values.map(quantise) }

    /// The batch number the notebook prints in the title: period * iterations per period, which
    /// is the iteration the snapshot was taken after.
    public var batchNumber: Int { iteration }
}

// MARK: binary layout

/// Little-endian fields, in order: period, iteration, gridSize, grid count, grids, digit count,
/// originals, reconstructions, point count, points (x, y float32), point labels.
extension Snapshot {
    struct LayoutError: Error, CustomStringConvertible { let description: String }

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out.append(contentsOf: $0) } }
        u32(period); u32(iteration); u32(gridSize); u32(grids.count)
        for g in grids { out += g }
        u32(originals.count)
        for d in originals { out += d }
        for d in reconstructions { out += d }
        u32(zPoints.count)
        for p in zPoints {
            withUnsafeBytes(of: p.x.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: p.y.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
        out += zLabels
        return out
    }

    /// Parse, checking every count against the bytes that remain.
    init(decoding b: [UInt8]) throws {
        var r = ByteReader(bytes: b)
        let period = try r.u32(), iteration = try r.u32(), gridSize = try r.u32()
        let gridCount = try r.u32()
        guard gridSize <= 4096, gridCount <= 100 else {
            throw LayoutError(description: "implausible grid size \(gridSize) x \(gridCount)")
        }
        var grids: [[UInt8]] = []
        for _ in 0..<gridCount { grids.append(try r.take(gridSize * gridSize)) }
        let digits = try r.u32()
        guard digits <= 10_000 else { throw LayoutError(description: "implausible digit count \(digits)") }
        var originals: [[UInt8]] = [], reconstructions: [[UInt8]] = []
        for _ in 0..<digits { originals.append(try r.take(Digit.pixels)) }
        for _ in 0..<digits { reconstructions.append(try r.take(Digit.pixels)) }
        let points = try r.u32()
        guard points <= 1_000_000 else { throw LayoutError(description: "implausible point count \(points)") }
        var zPoints: [SIMD2<Float>] = []
        for _ in 0..<points {
            let x = UInt32(try r.u32()), y = UInt32(try r.u32())
            zPoints.append(SIMD2(Float(bitPattern: x), Float(bitPattern: y)))
        }
        let zLabels = try r.take(points)
        guard r.remaining == 0 else {
            throw LayoutError(description: "\(r.remaining) unexpected bytes after the snapshot")
        }
        self.init(
            period: period, iteration: iteration, gridSize: gridSize, grids: grids, originals: originals,
            reconstructions: reconstructions, zPoints: zPoints, zLabels: zLabels)
    }
}

/// Reads little-endian fields, refusing to read past the end.
struct ByteReader {
    let bytes: [UInt8]
    var at = 0
    var remaining: Int { bytes.count - at }

    mutating func take(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= remaining else { throw Snapshot.LayoutError(description: "snapshot body ends early") }
        defer { at += n }
        return Array(bytes[at..<at + n])
    }

    mutating func u32() throws -> Int { try take(4).reversed().reduce(0) { $0 << 8 | Int($1) } }
}
