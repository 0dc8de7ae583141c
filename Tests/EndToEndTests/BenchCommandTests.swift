import Foundation
import TestSupport
import XCTest

/// `bench --json`: the one object BENCHMARKS.md's figures are read from, with every field a
/// measurement (positive and finite), each convolution with its three passes.
final class BenchCommandTests: XCTestCase {
    func testBenchJSONHasEveryFigure() throws {
        let dir = try tempDir("bench")
        let r = try runCLI(["bench", "--json", "--repeats", "1", "--batch-size", "4", "--threads", "2"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["threads"] as? Int, 2)
        XCTAssertEqual(object["batch"] as? Int, 4)
        XCTAssertTrue((object["machine_kind"] as? String)?.hasPrefix("dnnl-isa-") == true)
        for key in ["sgemm_gflops", "peak_rss_mb", "d_step_ms", "g_step_ms", "iteration_ms", "snapshot_ms", "snapshot_decodes_ms",
                    "frame_ms", "film_s", "d_step_gflop", "g_step_gflop"] {
            let v = try XCTUnwrap(object[key] as? Double, "\(key) is a number")
            XCTAssertTrue(v.isFinite && v > 0, "\(key) = \(v)")
        }
        let convolutions = try XCTUnwrap(object["convolutions"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(convolutions.count, 8, "every convolution of the networks")
        for c in convolutions {
            for pass in ["forward", "backward_data", "backward_weights"] {
                let ms = try XCTUnwrap(c[pass + "_ms"] as? Double), gf = try XCTUnwrap(c[pass + "_gflops"] as? Double)
                XCTAssertTrue(ms > 0 && gf > 0 && gf.isFinite, "\(c["name"] ?? "?") \(pass)")
            }
        }
        for profile in ["op_ms_per_d_plus_g", "op_ms_per_225_decodes"] {
            let ops = try XCTUnwrap(object[profile] as? [String: Double])
            XCTAssertFalse(ops.isEmpty, profile)
        }
        let bad = try runCLI(["bench", "--repeats", "0"], in: dir)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("--repeats must be between 1 and 1000, got 0"), bad.stderr)
    }
}
