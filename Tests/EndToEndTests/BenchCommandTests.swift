import Bench
import Foundation
import Tensor
import TestSupport
import XCTest

/// `bench --json`: the one object BENCHMARKS.md's figures are read from, with every field a
/// measurement (positive and finite), each precision with its steps, its snapshot and every
/// convolution's three passes, and the ratios between precisions and to the anchor.
final class BenchCommandTests: XCTestCase {
    func testBenchJSONHasEveryFigure() throws {
        let dir = try tempDir("bench")
        // An anchor file as scripts/anchor.sh writes it, with figures of our choosing.
        let anchor = dir + "/anchor.json"
        try Data(
            #"{"precisions": {"fp32": {"iteration_ms": 400, "d_step_ms": 100}, "bf16": {"iteration_ms": 300}}}"#.utf8
        )
        .write(to: URL(fileURLWithPath: anchor))
        let r = try runCLI(
            ["bench", "--json", "--repeats", "1", "--batch-size", "4", "--threads", "2", "--anchor", anchor], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try JSONDecoder().decode(BenchJSON.self, from: Data(r.stdout.utf8))
        XCTAssertEqual(object.threads, 2)
        XCTAssertEqual(object.batch, 4)
        XCTAssertTrue(object.machineKind.hasPrefix("dnnl-isa-"), object.machineKind)
        // The kernels the figures are of (KernelChoiceTests checks the choice itself).
        let kernels = object.kernels
        XCTAssertEqual(kernels.threads, 2)
        XCTAssertEqual(kernels.machineKind, object.machineKind)
        XCTAssertTrue(object.machineKind.hasSuffix("-" + kernels.openBLASCore), kernels.openBLASCore)
        XCTAssertFalse(kernels.openBLASSetBy.isEmpty || kernels.oneDNNISA.isEmpty)
        for (key, v) in [
            ("sgemm_gflops", object.sgemmGflops), ("peak_rss_mb", object.peakRssMb), ("frame_ms", object.frameMs),
            ("film_s", object.filmS)
        ] {
            XCTAssertTrue(v.isFinite && v > 0, "\(key) = \(v)")
        }
        let precisions = object.precisions
        let expected = Precision.bf16.problem() == nil ? ["bf16", "fp32"] : ["fp32"]
        XCTAssertEqual(precisions.keys.sorted(), expected, "both precisions where the CPU has bf16")
        XCTAssertEqual(kernels.precisions?.sorted(), expected)
        let ratios = object.ratios
        for (name, section) in precisions {
            let m = section.model
            for (key, v) in [
                ("d_step_ms", m.dStepMs), ("g_step_ms", m.gStepMs), ("iteration_ms", m.iterationMs),
                ("snapshot_ms", m.snapshotMs), ("snapshot_decodes_ms", m.snapshotDecodesMs),
                ("d_step_gflop", m.dStepGflop), ("g_step_gflop", m.gStepGflop)
            ] {
                XCTAssertTrue(v.isFinite && v > 0, "\(name) \(key) = \(v)")
            }
            XCTAssertGreaterThanOrEqual(section.convolutions.count, 8, "every convolution of the networks")
            for c in section.convolutions {
                for (pass, ms, gf) in [
                    ("forward", c.forwardMs, c.forwardGflops),
                    ("backward_data", c.backwardDataMs, c.backwardDataGflops),
                    ("backward_weights", c.backwardWeightsMs, c.backwardWeightsGflops)
                ] {
                    XCTAssertTrue(ms > 0 && gf > 0 && gf.isFinite, "\(c.name) \(pass)")
                }
            }
            XCTAssertFalse(section.opMsPerDPlusG.isEmpty, "op_ms_per_d_plus_g")
            XCTAssertFalse(section.opMsPer225Decodes.isEmpty, "op_ms_per_225_decodes")
            // Ours over the anchor's, computed from the two objects' own numbers.
            let overAnchor = try XCTUnwrap(ratios["\(name)_over_anchor_\(name)"])
            let anchorIteration = name == "fp32" ? 400.0 : 300.0
            XCTAssertEqual(overAnchor["iteration_ms"]!, m.iterationMs / anchorIteration, accuracy: 1e-9)
            XCTAssertEqual(overAnchor["d_step_ms"] != nil, name == "fp32", "only what the anchor measured")
        }
        if let fp32 = precisions["fp32"], let bf16 = precisions["bf16"] {
            XCTAssertEqual(
                ratios["bf16_over_fp32"]?["iteration_ms"] ?? 0, bf16.model.iterationMs / fp32.model.iterationMs,
                accuracy: 1e-9)
        }
        let bad = try runCLI(["bench", "--repeats", "0"], in: dir)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("--repeats must be between 1 and 1000, got 0"), bad.stderr)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: anchor))
        let notAnchor = try runCLI(["bench", "--anchor", anchor], in: dir)
        XCTAssertEqual(notAnchor.status, 1)
        XCTAssertTrue(notAnchor.stderr.contains("is not the anchor's JSON"), notAnchor.stderr)
        let missing = try runCLI(["bench", "--anchor", dir + "/none.json"], in: dir)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("--anchor \(dir)/none.json: cannot be read"), missing.stderr)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, missing.stderr)
    }

    /// `bench --side --channels` times the model made for that shape: its convolutions read and draw
    /// the channels asked, at the sizes the side sets, and the output names the shape. A shape no
    /// model takes is refused.
    func testBenchTimesTheModelAtTheShapeAsked() throws {
        let dir = try tempDir("bench-shape")
        let r = try runCLI(
            [
                "bench", "--json", "--repeats", "1", "--batch-size", "2", "--threads", "2", "--precision", "fp32",
                "--side", "32", "--channels", "3"
            ], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try JSONDecoder().decode(BenchJSON.self, from: Data(r.stdout.utf8))
        XCTAssertEqual([object.side, object.channels], [32, 3])
        let convolutions = try XCTUnwrap(object.precisions["fp32"]).convolutions
        let geometry = Dictionary(uniqueKeysWithValues: convolutions.map { ($0.name, $0.geometry) })
        XCTAssertEqual(geometry["encoder.conv1"], "3x3/2 3->32 32x32 N=2")
        XCTAssertEqual(geometry["decoder.conv3"], "5x5/1 32->3 32x32 N=4")
        XCTAssertEqual(geometry["discriminator.conv1"], "7x7/2 3->128 32x32 N=6")
        XCTAssertEqual(geometry["decoder.conv1 (folded)"], "3x3/1 128->256 8x8 N=4")
        for bad in [["--side", "30"], ["--side", "68"], ["--channels", "2"]] {
            let refused = try runCLI(["bench"] + bad, in: dir)
            XCTAssertEqual(refused.status, 1, "\(bad)")
            XCTAssertTrue(refused.stderr.contains("--side"), refused.stderr)
        }
    }
}
