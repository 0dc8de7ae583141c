import Foundation
import Tensor

/// Timing helpers for `vaegan-render bench`: medians of repeated runs after a warm-up.
public enum KernelBench {
    /// Median wall time of `body` in seconds over `repeats` runs, after one warm-up run.
    public static func median(repeats: Int, _ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0..<repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
        }
        return times.sorted()[times.count / 2]
    }

    /// sgemm GFLOPS on square n x n matrices with OpenBLAS on `threads` threads: the machine's
    /// practical float32 peak, which `bench` sets the convolutions against.
    public static func sgemmGFLOPS(threads: Int, n: Int = 2048, repeats: Int = 5) -> Double {
        let a = Tensor(shape: [n, n], repeating: 0.5), b = Tensor(shape: [n, n], repeating: 0.25),
            c = Tensor(shape: [n, n])
        let t = Threads.withBLASThreads(threads) { median(repeats: repeats) { Tensor.multiply(a, b, into: c) } }
        return 2 * Double(n) * Double(n) * Double(n) / t / 1e9
    }

    public struct ConvTiming {
        public let forward: Double, backwardData: Double, backwardWeights: Double  // seconds
        public let implementations: [String: String]
    }

    /// Time the three passes of one convolution on random data.
    public static func conv(_ g: ConvGeometry, winograd: Bool, precision: Precision = .fp32, repeats: Int) -> ConvTiming
    {
        conv(ConvPasses.forGeometry(g, winograd: winograd, precision: precision), repeats: repeats)
    }

    /// Time the three passes of `passes` on random data.
    public static func conv(_ passes: ConvPasses, repeats: Int) -> ConvTiming {
        let g = passes.geometry
        var rng = RNG(seed: 1)
        let x = Tensor.normal(g.inputShape, rng: &rng), w = Tensor.normal(g.kernelShape, rng: &rng)
        let b = Tensor(shape: [g.outChannels]), y = Tensor(shape: g.outputShape)
        let dy = Tensor.normal(g.outputShape, rng: &rng), dx = Tensor(shape: g.inputShape)
        let dw = Tensor(shape: g.kernelShape), db = Tensor(shape: [g.outChannels])
        var saved = passes.forward(x: x.data, w: w.data, b: b.data, y: y.data)
        return ConvTiming(
            forward: median(repeats: repeats) { saved = passes.forward(x: x.data, w: w.data, b: b.data, y: y.data) },
            backwardData: median(repeats: repeats) {
                passes.backward(dy: dy.data, x: x.data, w: w.data, saved: saved, dx: dx.data, dw: nil, db: nil)
            },
            backwardWeights: median(repeats: repeats) {
                passes.backward(dy: dy.data, x: x.data, w: w.data, saved: saved, dx: nil, dw: dw.data, db: db.data)
            },
            implementations: passes.implementations)
    }
}
