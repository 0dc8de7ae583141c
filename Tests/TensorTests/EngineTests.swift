import Tensor
import TestSupport
import XCTest

final class EngineTests: XCTestCase {
    func check(_ input: Int, _ kernel: Int, _ stride: Int, output: Int, before: Int, after: Int, line: UInt = #line) {
        let p = SamePadding(input: input, kernel: kernel, stride: stride)
        XCTAssertEqual([p.output, p.before, p.after], [output, before, after], line: line)
    }

    func testSamePaddingArithmetic() {
        check(28, 3, 2, output: 14, before: 0, after: 1)
        check(28, 7, 2, output: 14, before: 2, after: 3)
        check(7, 2, 2, output: 4, before: 0, after: 1)
        check(14, 2, 2, output: 7, before: 0, after: 0)
        check(14, 5, 1, output: 14, before: 2, after: 2)
        check(7, 3, 1, output: 7, before: 1, after: 1)
    }

    /// The plain matrix product (the bench's sgemm peak) against a double-precision loop, on a
    /// non-square product whose transposed reading would give other numbers, into a c that held
    /// other values.
    func testMultiplyIsTheRowMajorMatrixProduct() {
        var rng = RNG(seed: 11)
        let (m, k, n) = (5, 7, 3)
        let a = Tensor.normal([m, k], rng: &rng), b = Tensor.normal([k, n], rng: &rng),
            c = Tensor(shape: [m, n], repeating: 7)
        Tensor.multiply(a, b, into: c)  // overwrites c
        for i in 0..<m {
            for j in 0..<n {
                let expected = (0..<k).reduce(0.0) { $0 + Double(a[i * k + $1]) * Double(b[$1 * n + j]) }
                XCTAssertEqual(Double(c[i * n + j]), expected, accuracy: 1e-5, "c[\(i), \(j)]")
            }
        }
    }

    /// Numbers computed by hand (and in Python) from the TF1 formula with ms0 = 1, eps inside the root.
    func testRMSPropMatchesTensorFlow1ByHand() {
        let w = Variable(Tensor(shape: [1], values: [1]), groups: .test)
        let opt = RMSProp(parameters: [w], learningRate: 0.01, rho: 0.9, epsilon: 1e-10)
        XCTAssertEqual(opt.meanSquares[0].array, [1])
        w.gradBuffer().data[0] = 0.5
        opt.step()
        XCTAssertEqual(opt.meanSquares[0][0], 0.925, accuracy: 1e-7)
        XCTAssertEqual(w.value[0], 0.9948012475511806, accuracy: 1e-7)
        XCTAssertNil(w.grad)
        w.gradBuffer().data[0] = -0.2
        opt.step()
        XCTAssertEqual(opt.meanSquares[0][0], 0.8365, accuracy: 1e-7)
        XCTAssertEqual(w.value[0], 0.9969879869158603, accuracy: 1e-7)
        // No gradient (TensorFlow's None): neither weight nor accumulator moves.
        opt.step()
        XCTAssertEqual(w.value[0], 0.9969879869158603, accuracy: 1e-7)
        XCTAssertEqual(opt.meanSquares[0][0], 0.8365, accuracy: 1e-7)
    }

    func testGlorotUniformLimitAndRange() {
        XCTAssertEqual(
            Initializer.glorotLimit(kernelShape: [5, 5, 128, 64]), (6 / Float(25 * 128 + 25 * 64)).squareRoot())
        XCTAssertEqual(Initializer.glorotLimit(kernelShape: [3146, 64]), (6 / Float(3146 + 64)).squareRoot())
        var rng = RNG(seed: 3)
        let k = Initializer.glorotUniform([3, 3, 32, 64], rng: &rng)
        let limit = Initializer.glorotLimit(kernelShape: [3, 3, 32, 64])
        XCTAssertTrue(k.buffer.allSatisfy { abs($0) <= limit })
        XCTAssertGreaterThan(k.buffer.map(abs).max()!, 0.95 * limit)
        XCTAssertEqual(k.sum / Double(k.count), 0, accuracy: 0.01 * Double(limit))
    }

    func testRNGIsSeededAndWellFormed() {
        var a = RNG(seed: 42), b = RNG(seed: 42), c = RNG(seed: 42, stream: 1)
        XCTAssertEqual((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() })
        XCTAssertNotEqual(a.next(), c.next())
        var r = RNG(seed: 1)
        let p = r.permutation(1000)
        XCTAssertEqual(p.sorted(), Array(0..<1000))
        XCTAssertNotEqual(p, Array(0..<1000))
        let n = Tensor.normal([200_000], rng: &r)
        let mean = n.sum / 200_000
        let variance = n.buffer.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / 200_000
        XCTAssertEqual(mean, 0, accuracy: 0.01)
        XCTAssertEqual(variance, 1, accuracy: 0.01)
        let u = (0..<100_000).map { _ in r.uniformFloat() }
        XCTAssertTrue(u.allSatisfy { $0 >= 0 && $0 < 1 })
        let saved = r.stateWords
        let x = r.next()
        var restored = RNG(state: saved)!
        XCTAssertEqual(restored.next(), x)
        XCTAssertNil(RNG(state: [0, 0, 0, 0]))
    }

    /// One forward can feed several losses; each backward touches only the groups it names.
    func testBackwardIntoOneGroupLeavesTheOthersAlone() {
        let first = ParamGroup(bit: 1), second = ParamGroup(bit: 2)
        let a = Variable(Tensor(shape: [1], values: [2]), groups: first)
        let b = Variable(Tensor(shape: [1], values: [3]), groups: second)
        let tape = Tape(training: false)
        let ab = tape.multiply(a, b)  // a*b
        let l1 = tape.square(ab)  // (ab)^2
        let l2 = tape.affine(b, scale: 5)  // 5b
        tape.backward([(loss: l1, weight: 1), (loss: l2, weight: 1)], into: first)
        XCTAssertEqual(a.grad?.array, [2 * 6 * 3])  // d(ab)^2/da = 2ab*b
        XCTAssertNil(b.grad)
        tape.backward([(loss: l1, weight: 1), (loss: l2, weight: -1)], into: second)
        XCTAssertEqual(a.grad?.array, [36], "a pass into the second group keeps the first's gradient")
        XCTAssertEqual(b.grad?.array, [2 * 6 * 2 - 5])
    }
}

/// Every convolution the model runs must resolve to an optimised kernel: on this machine a oneDNN
/// layout mistake silently selects the reference kernel, 200x slower.
final class ConvImplementationTests: XCTestCase {
    func testNoConvolutionOfTheModelResolvesToAReferenceKernel() {
        let n = 4
        let shapes: [(Int, Int, Int, Int, Int)] = [  // (hw, cin, k, cout, stride)
            (28, 1, 3, 32, 2), (7, 32, 3, 64, 1), (14, 128, 5, 64, 1), (14, 64, 3, 32, 1),
            (28, 32, 5, 1, 1), (28, 1, 7, 128, 2), (7, 138, 3, 64, 1), (4, 64, 3, 16, 1),
            (7, 128, 3, 256, 1)  // decoder.conv1 folded over its upsampling (UpsampledConvPlan)
        ]
        for (hw, cin, k, cout, s) in shapes {
            for batch in [n, 2 * n, 3 * n, 225] {
                let g = ConvGeometry(
                    batch: batch, height: hw, width: hw, inChannels: cin, kernelHeight: k, kernelWidth: k,
                    outChannels: cout, stride: s)
                for (pass, impl) in ConvPasses.forGeometry(g, winograd: false).implementations {
                    XCTAssertFalse(impl.hasPrefix("ref"), "\(g) \(pass) runs on \(impl)")
                }
            }
        }
    }
}
