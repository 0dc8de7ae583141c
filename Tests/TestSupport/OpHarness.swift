import Tensor
import XCTest

public typealias R = Reference.Array

/// One op under test: the fast op on the tape, and its double-precision reference forward and
/// backward (one gradient per input, for an upstream gradient dy).
public struct OpCase {
    public let name: String
    public let inputs: [Tensor]
    public let fast: (Tape, [Variable]) -> Variable
    public let reference: ([R]) -> R
    public let referenceBackward: ([R], R) -> [R]
    /// Inputs whose gradient is not checked (e.g. integer-like labels).
    public var skipGradient: Set<Int> = []

    public init(
        name: String, inputs: [Tensor], fast: @escaping (Tape, [Variable]) -> Variable, reference: @escaping ([R]) -> R,
        referenceBackward: @escaping ([R], R) -> [R], skipGradient: Set<Int> = []
    ) {
        self.name = name; self.inputs = inputs; self.fast = fast; self.reference = reference
        self.referenceBackward = referenceBackward; self.skipGradient = skipGradient
    }
}

/// Random tensor with entries uniform in [low, high).
public func randomTensor(_ shape: [Int], _ rng: inout RNG, low: Float = -1, high: Float = 1) -> Tensor {
    let t = Tensor(shape: shape)
    rng.fillUniform(t.buffer, low: low, high: high)
    return t
}

public func maxAbs(_ v: [Double]) -> Double { v.map(abs).max() ?? 0 }

/// ||a - b|| / max(||b||, tiny)
public func relativeL2(_ a: [Double], _ b: [Double]) -> Double {
    let diff = zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
    let norm = b.map { $0 * $0 }.reduce(0, +).squareRoot()
    return diff / max(norm, 1e-30)
}

/// Checks, for one op:
///  1. the fast float32 forward against the float64 reference: max |fast-ref| <= 2e-5 * max(1, max|ref|);
///  2. the fast backward against the reference backward: relative L2 error <= 2e-5 per input;
///  3. the reference backward against central finite differences of the reference forward
///     (h = 1e-6, float64) at up to 8 random entries per input: |fd - g| <= 1e-6 + 1e-5 |g|.
public func checkOp(_ c: OpCase, seed: UInt64 = 7, file: StaticString = #filePath, line: UInt = #line) {
    var rng = RNG(seed: seed, stream: 99)
    let tape = Tape(training: false)
    let vars = c.inputs.map { Variable($0, groups: .test) }
    let y = c.fast(tape, vars)
    let dy = randomTensor(y.shape, &rng)
    tape.backward([(output: y, gradient: dy)], into: .test)

    let refInputs = c.inputs.map(R.init)
    let refY = c.reference(refInputs)
    XCTAssertEqual(y.shape, refY.shape, "\(c.name): output shape", file: file, line: line)
    let fwdErr = maxAbs(zip(y.value.buffer, refY.values).map { Double($0) - $1 })
    XCTAssertLessThanOrEqual(fwdErr, 2e-5 * max(1, maxAbs(refY.values)), "\(c.name): forward", file: file, line: line)

    let refDy = R(dy)
    let refGrads = c.referenceBackward(refInputs, refDy)
    for (i, v) in vars.enumerated() where !c.skipGradient.contains(i) {
        let g = v.grad.map { $0.buffer.map(Double.init) } ?? [Double](repeating: 0, count: v.value.count)
        let err = relativeL2(g, refGrads[i].values)
        XCTAssertLessThanOrEqual(err, 2e-5, "\(c.name): gradient of input \(i)", file: file, line: line)
    }

    // Finite differences of L(x) = sum(ref(x) * dy) in double precision.
    func loss(_ xs: [R]) -> Double { zip(c.reference(xs).values, refDy.values).map(*).reduce(0, +) }
    let h = 1e-6
    for i in refInputs.indices where !c.skipGradient.contains(i) {
        for _ in 0..<min(8, refInputs[i].count) {
            let k = rng.int(below: refInputs[i].count)
            var plus = refInputs, minus = refInputs
            plus[i].values[k] += h
            minus[i].values[k] -= h
            let fd = (loss(plus) - loss(minus)) / (2 * h)
            let g = refGrads[i].values[k]
            XCTAssertLessThanOrEqual(
                abs(fd - g), 1e-6 + 1e-5 * abs(g),
                "\(c.name): finite difference, input \(i) entry \(k): fd \(fd) vs \(g)", file: file, line: line)
        }
    }
}
