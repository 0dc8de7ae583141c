import Foundation
import Tensor
import VAEGAN

/// The figures of one `bench` run.
struct BenchReport {
    let threads: Int, batch: Int, repeats: Int

    func print(json: Bool) {
        let peak = KernelBench.sgemmGFLOPS()
        var rows: [[String: Any]] = []
        var lines = [String(format: "sgemm 2048^3: %.1f GFLOPS (%d threads, OpenBLAS core %@)", peak, threads, Threads.blasCore),
                     "conv (batch)                               forward           backward-data     backward-weights  implementation (fwd)"]
        for (name, g, _) in ModelShapes.convolutions(batch: batch) {
            let t = KernelBench.conv(g, repeats: repeats)
            let gf = { (s: Double) in g.flops / s / 1e9 }
            rows.append(["name": name, "geometry": g.description, "forward_ms": t.forward * 1e3, "backward_data_ms": t.backwardData * 1e3,
                         "backward_weights_ms": t.backwardWeights * 1e3, "forward_gflops": gf(t.forward),
                         "backward_data_gflops": gf(t.backwardData), "backward_weights_gflops": gf(t.backwardWeights),
                         "implementations": t.implementations])
            lines.append(String(format: "%-20@ %-21@ %7.2f ms %5.0f   %7.2f ms %5.0f   %7.2f ms %5.0f   %@",
                                name as NSString, g.description as NSString, t.forward * 1e3, gf(t.forward),
                                t.backwardData * 1e3, gf(t.backwardData), t.backwardWeights * 1e3, gf(t.backwardWeights),
                                (t.implementations["forward"] ?? "") as NSString))
        }
        if json {
            let obj: [String: Any] = ["threads": threads, "batch": batch, "sgemm_gflops": peak, "convolutions": rows]
            let data = try! JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
            Swift.print(String(decoding: data, as: UTF8.self))
        } else {
            lines.forEach { Swift.print($0) }
        }
    }
}
