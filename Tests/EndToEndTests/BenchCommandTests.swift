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
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["threads"] as? Int, 2)
        XCTAssertEqual(object["batch"] as? Int, 4)
        XCTAssertTrue((object["machine_kind"] as? String)?.hasPrefix("dnnl-isa-") == true)
        // The kernels the figures are of (KernelChoiceTests checks the choice itself).
        let kernels = try XCTUnwrap(object["kernels"] as? [String: Any])
        XCTAssertEqual(kernels["threads"] as? Int, 2)
        XCTAssertEqual(kernels["machine_kind"] as? String, object["machine_kind"] as? String)
        let core = try XCTUnwrap(kernels["openblas_core"] as? String)
        XCTAssertTrue((object["machine_kind"] as? String)?.hasSuffix("-" + core) == true, core)
        for key in ["openblas_set_by", "onednn_isa"] { XCTAssertNotNil(kernels[key] as? String, key) }
        for key in ["sgemm_gflops", "peak_rss_mb", "frame_ms", "film_s"] {
            let v = try XCTUnwrap(object[key] as? Double, "\(key) is a number")
            XCTAssertTrue(v.isFinite && v > 0, "\(key) = \(v)")
        }
        let precisions = try XCTUnwrap(object["precisions"] as? [String: [String: Any]])
        let expected = Precision.bf16.problem() == nil ? ["bf16", "fp32"] : ["fp32"]
        XCTAssertEqual(precisions.keys.sorted(), expected, "both precisions where the CPU has bf16")
        XCTAssertEqual((kernels["precisions"] as? [String])?.sorted(), expected)
        let ratios = try XCTUnwrap(object["ratios"] as? [String: [String: Double]])
        for (name, section) in precisions {
            for key in [
                "d_step_ms", "g_step_ms", "iteration_ms", "snapshot_ms", "snapshot_decodes_ms", "d_step_gflop",
                "g_step_gflop"
            ] {
                let v = try XCTUnwrap(section[key] as? Double, "\(name) \(key) is a number")
                XCTAssertTrue(v.isFinite && v > 0, "\(name) \(key) = \(v)")
            }
            let convolutions = try XCTUnwrap(section["convolutions"] as? [[String: Any]])
            XCTAssertGreaterThanOrEqual(convolutions.count, 8, "every convolution of the networks")
            for c in convolutions {
                for pass in ["forward", "backward_data", "backward_weights"] {
                    let ms = try XCTUnwrap(c[pass + "_ms"] as? Double),
                        gf = try XCTUnwrap(c[pass + "_gflops"] as? Double)
                    XCTAssertTrue(ms > 0 && gf > 0 && gf.isFinite, "\(c["name"] ?? "?") \(pass)")
                }
            }
            for profile in ["op_ms_per_d_plus_g", "op_ms_per_225_decodes"] {
                XCTAssertFalse(try XCTUnwrap(section[profile] as? [String: Double]).isEmpty, profile)
            }
            // Ours over the anchor's, computed from the two objects' own numbers.
            let overAnchor = try XCTUnwrap(ratios["\(name)_over_anchor_\(name)"])
            let anchorIteration = name == "fp32" ? 400.0 : 300.0
            XCTAssertEqual(
                overAnchor["iteration_ms"]!, (section["iteration_ms"] as! Double) / anchorIteration, accuracy: 1e-9)
            XCTAssertEqual(overAnchor["d_step_ms"] != nil, name == "fp32", "only what the anchor measured")
        }
        if let fp32 = precisions["fp32"], let bf16 = precisions["bf16"] {
            XCTAssertEqual(
                ratios["bf16_over_fp32"]?["iteration_ms"] ?? 0,
                (bf16["iteration_ms"] as! Double) / (fp32["iteration_ms"] as! Double), accuracy: 1e-9)
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
}
