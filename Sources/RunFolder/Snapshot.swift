import Datasets
import Foundation

/// What the recorder keeps of the model at one saved period (docs/MODEL.md §6), quantised to
/// bytes (0 = 0.0, 255 = 1.0): about 59 dB PSNR, far above what an 8-bit video frame keeps.
public struct Snapshot: Equatable, Sendable {
    public var period: Int
    /// The iteration after which it was taken (period * iterations per period).
    public var iteration: Int
    /// Side of a manifold grid in pixels (15 cells * 28 = 420).
    public var gridSize: Int
    /// One grid per label, gridSize x gridSize x `channels` bytes, row-major, channels last.
    public var grids: [[UInt8]]
    /// The side of one image (a grid's cell, a digit) in pixels, and its channels (1 grey, 3 RGB).
    public var imageSide: Int, channels: Int
    /// Fixed test digits (imageSide x imageSide x channels bytes each) and their reconstructions
    /// dec(z_mean(x), y).
    public var originals: [[UInt8]]
    public var reconstructions: [[UInt8]]
    /// z_mean dims 0 and 1 of a fixed set of test digits, and their labels.
    public var zPoints: [SIMD2<Float>]
    public var zLabels: [UInt8]
    /// The decoder's parameters at this snapshot as IEEE half-precision bit patterns, in the
    /// model's order, when the run records them (`train-and-record --record-decoders`): what a
    /// film over other latent dimensions than the recorded grids' needs, redrawn afterwards.
    public var decoder: [UInt16]?

    public init(
        period: Int, iteration: Int, gridSize: Int, grids: [[UInt8]], originals: [[UInt8]],
        reconstructions: [[UInt8]], zPoints: [SIMD2<Float>], zLabels: [UInt8], decoder: [UInt16]? = nil,
        imageSide: Int = Digit.side, channels: Int = 1
    ) {
        self.period = period; self.iteration = iteration; self.gridSize = gridSize; self.grids = grids
        self.imageSide = imageSide; self.channels = channels
        self.originals = originals; self.reconstructions = reconstructions; self.zPoints = zPoints;
        self.zLabels = zLabels; self.decoder = decoder
    }

    /// Float32 values as half-precision bit patterns (round to nearest even; relative error at
    /// most 2^-11 within half's range, which every trained weight here is far inside).
    public static func halves(_ values: UnsafeBufferPointer<Float>) -> [UInt16] {
        values.map { Float16($0).bitPattern }
    }

    /// Half-precision bit patterns back as float32 (exact).
    public static func floats(_ halves: ArraySlice<UInt16>) -> [Float] { halves.map { Float(Float16(bitPattern: $0)) } }

    /// A value in [0, 1] as a byte.
    @inline(__always)
    public static func quantise(_ v: Float) -> UInt8 { UInt8(max(0, min(255, (v * 255).rounded()))) }

    public static func quantise(_ values: UnsafeBufferPointer<Float>) -> [UInt8] { values.map(quantise) }

    /// The batch number the notebook prints in the title: period * iterations per period, which
    /// is the iteration the snapshot was taken after.
    public var batchNumber: Int { iteration }
}

// MARK: binary layout

/// Little-endian fields, in order: only for images other than 28x28 grey, the tag "SHAP", the
/// image side and the channels; then period, iteration, gridSize, grid count, grids, digit count,
/// originals, reconstructions, point count, points (x, y float32), point labels; then, only when
/// the run records its decoders, the tag "DECO", a value count and the values (u16 each).
extension Snapshot {
    struct LayoutError: Error, CustomStringConvertible { let description: String }

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out.append(contentsOf: $0) } }
        if (imageSide, channels) != (Digit.side, 1) { u32(Int(Self.shapeTag)); u32(imageSide); u32(channels) }
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
        if let decoder {
            u32(Int(Self.decoderTag)); u32(decoder.count)
            for v in decoder { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        }
        return out
    }

    static let decoderTag: UInt32 = 0x4F43_4544  // "DECO" little-endian
    /// Far above any period, so a snapshot of MNIST's shape (which starts with its period) never
    /// starts with it.
    static let shapeTag: UInt32 = 0x5041_4853  // "SHAP" little-endian
    /// More decoder values than this are not ours (the model's decoder has about 343,000).
    static let maxDecoderValues = 16 << 20

    /// Parse, checking every count against the bytes that remain.
    init(decoding b: [UInt8]) throws {
        var r = ByteReader(bytes: b)
        var (imageSide, channels, period) = (Digit.side, 1, try r.u32())
        if UInt32(period) == Self.shapeTag {
            (imageSide, channels, period) = (try r.u32(), try r.u32(), try r.u32())
            guard DataDescription.isSide(imageSide), DataDescription.channelCounts.contains(channels) else {
                throw LayoutError(description: "implausible image shape \(imageSide)x\(imageSide)x\(channels)")
            }
        }
        let iteration = try r.u32(), gridSize = try r.u32()
        let gridCount = try r.u32()
        guard gridSize <= 4096, gridCount <= 100 else {
            throw LayoutError(description: "implausible grid size \(gridSize) x \(gridCount)")
        }
        var grids: [[UInt8]] = []
        for _ in 0..<gridCount { grids.append(try r.take(gridSize * gridSize * channels)) }
        let digits = try r.u32()
        guard digits <= 10_000 else { throw LayoutError(description: "implausible digit count \(digits)") }
        var originals: [[UInt8]] = [], reconstructions: [[UInt8]] = []
        let imageBytes = imageSide * imageSide * channels
        for _ in 0..<digits { originals.append(try r.take(imageBytes)) }
        for _ in 0..<digits { reconstructions.append(try r.take(imageBytes)) }
        let points = try r.u32()
        guard points <= 1_000_000 else { throw LayoutError(description: "implausible point count \(points)") }
        var zPoints: [SIMD2<Float>] = []
        for _ in 0..<points {
            let x = UInt32(try r.u32()), y = UInt32(try r.u32())
            zPoints.append(SIMD2(Float(bitPattern: x), Float(bitPattern: y)))
        }
        let zLabels = try r.take(points)
        var decoder: [UInt16]?
        if r.remaining > 0 {
            guard UInt32(try r.u32()) == Self.decoderTag else {
                throw LayoutError(description: "unexpected bytes after the snapshot")
            }
            let count = try r.u32()
            guard count <= Self.maxDecoderValues else {
                throw LayoutError(description: "implausible decoder size \(count)")
            }
            let bytes = try r.take(2 * count)
            decoder = (0..<count).map { UInt16(bytes[2 * $0]) | UInt16(bytes[2 * $0 + 1]) << 8 }
        }
        guard r.remaining == 0 else {
            throw LayoutError(description: "\(r.remaining) unexpected bytes after the snapshot")
        }
        self.init(
            period: period, iteration: iteration, gridSize: gridSize, grids: grids, originals: originals,
            reconstructions: reconstructions, zPoints: zPoints, zLabels: zLabels, decoder: decoder,
            imageSide: imageSide, channels: channels)
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
