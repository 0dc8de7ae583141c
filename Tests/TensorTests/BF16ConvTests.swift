import Foundation
import Tensor
import TestSupport
import XCTest

/// The bfloat16 convolutions against the float64 reference (itself held to finite differences in
/// OpGradientTests), within the rounding bound of bf16 operands and float32 sums.
///
/// The bound: each operand rounded to bf16 (8 significant bits, round to nearest) is off by at
/// most u = 2^-8 of itself, so each product a*b by at most (1+u)^2 - 1 < 2^-7 + 2^-16 of |a*b|;
/// float32 sums of K terms add at most K * 2^-24 of the sum of the terms' magnitudes. An output
/// that sums K products is therefore within (2^-7 + 2^-16 + K * 2^-24) * sum |a_i b_i| of the exact
/// value, and sum |a_i b_i| is the reference convolution of |a| and |b|. The bias gradient sums the
/// rounded output gradient alone: (2^-8 + K * 2^-24) * sum |dy|.
final class BF16ConvTests: XCTestCase {
    static let product = 0x1p-7 + 0x1p-16, single = 0x1p-8, sum = 0x1p-24

    /// The layers' shapes that run on bf16 (32+ channels each side), at small batches.
    static let geometries = [
        ConvGeometry(
            batch: 2, height: 7, width: 7, inChannels: 32, kernelHeight: 3, kernelWidth: 3, outChannels: 64, stride: 1),
        ConvGeometry(
            batch: 2, height: 14, width: 14, inChannels: 64, kernelHeight: 3, kernelWidth: 3, outChannels: 32, stride: 1
        ),
        ConvGeometry(
            batch: 3, height: 7, width: 7, inChannels: 138, kernelHeight: 3, kernelWidth: 3, outChannels: 64, stride: 1),
        ConvGeometry(
            batch: 2, height: 14, width: 14, inChannels: 64, kernelHeight: 5, kernelWidth: 5, outChannels: 32, stride: 2
        )
    ]

    func testEveryPassIsWithinTheRoundingBoundOfBF16Operands() throws {
        try requireBF16()
        Threads.set(2)
        for g in Self.geometries {
            let passes = ConvPasses(g, algorithm: .oneDNN, precision: .bf16)
            XCTAssertEqual(passes.precision, .bf16, "\(g)")
            XCTAssertTrue(
                passes.implementations.values.allSatisfy { $0.contains("bf16") }, "\(g): \(passes.implementations)")
            var rng = RNG(seed: 11)
            let x = randomTensor(g.inputShape, &rng), w = randomTensor(g.kernelShape, &rng, low: -0.2, high: 0.2)
            let b = randomTensor([g.outChannels], &rng), dy = randomTensor(g.outputShape, &rng)
            let y = Tensor(shape: g.outputShape), dx = Tensor(shape: g.inputShape)
            let dw = Tensor(shape: g.kernelShape), db = Tensor(shape: [g.outChannels])
            let saved = passes.forward(x: x.data, w: w.data, b: b.data, y: y.data)
            passes.backward(dy: dy.data, x: x.data, w: w.data, saved: saved, dx: dx.data, dw: dw.data, db: db.data)

            let rx = Reference.Array(x), rw = Reference.Array(w), rb = Reference.Array(b), rdy = Reference.Array(dy)
            func magnitude(_ a: Reference.Array) -> Reference.Array {
                Reference.Array(shape: a.shape, values: a.values.map(abs))
            }
            let exact = Reference.conv2d(rx, rw, rb, stride: g.stride)
            let grads = Reference.conv2dBackward(rx, rw, dy: rdy, stride: g.stride)
            let sizes = Reference.conv2dBackward(magnitude(rx), magnitude(rw), dy: magnitude(rdy), stride: g.stride)
            let forwardSize = Reference.conv2d(
                magnitude(rx), magnitude(rw), Reference.Array(zeros: [g.outChannels]), stride: g.stride)

            let taps = g.kernelHeight * g.kernelWidth
            check(
                y, exact, sizes: forwardSize, relative: Self.product + Double(taps * g.inChannels) * Self.sum,
                "\(g) forward")
            check(
                dx, grads.dx, sizes: sizes.dx, relative: Self.product + Double(taps * g.outChannels) * Self.sum,
                "\(g) dx")
            let pixels = g.batch * g.outHeight * g.outWidth
            check(dw, grads.dw, sizes: sizes.dw, relative: Self.product + Double(pixels) * Self.sum, "\(g) dw")
            check(db, grads.db, sizes: sizes.db, relative: Self.single + Double(pixels) * Self.sum, "\(g) db")
        }
    }

    /// |got - exact| <= relative * size + a denormal's worth, for every element; and the largest
    /// error is well above float32's, or the operands were never rounded (the test would pass a
    /// float32 kernel).
    func check(
        _ got: Tensor, _ exact: Reference.Array, sizes: Reference.Array, relative: Double, _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        var worst = -Double.infinity, largest = 0.0
        for i in 0..<got.count {
            let error = abs(Double(got[i]) - exact.values[i])
            worst = max(worst, error - (relative * sizes.values[i] + 1e-30))
            largest = max(largest, error / max(sizes.values[i], 1e-30))
        }
        XCTAssertLessThanOrEqual(worst, 0, "\(what): beyond the bf16 bound by \(worst)", file: file, line: line)
        XCTAssertGreaterThan(
            largest, 1e-5, "\(what): errors of float32 size only (\(largest)); were the operands rounded?", file: file,
            line: line)
    }

    /// Where bf16 runs: oneDNN's direct kernels for 32+ channels each side; the one-channel, the
    /// narrow and the wide Winograd layers stay float32 (measured, `ConvPasses.bf16Pays`).
    func testBF16RunsWhereItPaysAndNowhereElse() {
        func passes(_ cin: Int, _ k: Int, _ cout: Int, side: Int, stride: Int = 1, winograd: Bool = false) -> ConvPasses
        {
            ConvPasses.forGeometry(
                ConvGeometry(
                    batch: 2, height: side, width: side, inChannels: cin, kernelHeight: k, kernelWidth: k,
                    outChannels: cout, stride: stride), winograd: winograd, precision: .bf16)
        }
        XCTAssertEqual(passes(32, 3, 64, side: 7).precision, .bf16)  // encoder.conv2
        XCTAssertEqual(passes(64, 3, 32, side: 14).precision, .bf16)  // decoder.conv2
        let discriminator = passes(138, 3, 64, side: 7, winograd: true)  // discriminator.conv2: Winograd in fp32
        XCTAssertEqual(discriminator.algorithm, .oneDNN)
        XCTAssertEqual(discriminator.precision, .bf16)
        let folded = passes(128, 3, 256, side: 7, winograd: true)  // decoder.conv1, folded
        XCTAssertEqual(folded.algorithm, .winograd)
        XCTAssertEqual(folded.precision, .fp32)
        XCTAssertEqual(passes(1, 7, 128, side: 28, stride: 2).precision, .fp32)  // discriminator.conv1
        XCTAssertEqual(passes(32, 5, 1, side: 28).precision, .fp32)  // decoder.conv3
        XCTAssertEqual(passes(64, 3, 16, side: 4).precision, .fp32)  // the l conv
        XCTAssertEqual(passes(32, 3, 64, side: 7).precision, .bf16)
    }

    /// On a CPU without the instructions, or with oneDNN capped below them, bf16 is refused in one
    /// line that names what is missing; fp32 never is.
    func testBF16IsRefusedWithoutTheInstructions() {
        let withBF16: Set<String> = ["avx2", "fma", "avx512f", "avx512_bf16"]
        XCTAssertNil(Precision.bf16.problem(flags: withBF16, kernels: true))
        XCTAssertNil(Precision.fp32.problem(flags: ["avx2", "fma"], kernels: false))
        let noFlag = Precision.bf16.problem(flags: ["avx2", "fma", "avx512f"], kernels: false)
        XCTAssertTrue(noFlag?.contains("lacks avx512_bf16") == true && noFlag?.contains("\n") == false, noFlag ?? "nil")
        let capped = Precision.bf16.problem(flags: withBF16, kernels: false)
        XCTAssertTrue(capped?.contains("avx512_core_bf16") == true, capped ?? "nil")
    }
}
