import Foundation
import RunFolder
import TestSupport
import XCTest

/// sessions.csv: each session's row with its kernels; a file of the first six columns still reads
/// and gains the new header, its rows padded, when the next session is appended.
final class SessionLogTests: XCTestCase {
    let kernels = SessionLog.Kernels(
        precision: "bf16", openBLASCore: "SkylakeX", openBLASSetBy: "vaegan-render", openBLASPicked: "Prescott",
        oneDNNISA: "avx512_core_bf16")

    func session(_ from: Int, _ to: Int, _ kernels: SessionLog.Kernels) -> SessionLog.Session {
        .init(
            started: "2026-12-04T02:00:00Z", fromIteration: from, toIteration: to, seconds: 12.25, threads: 2,
            program: "vaegan-render 0.2.0, built here", kernels: kernels)
    }

    func testSessionsKeepTheirKernels() throws {
        let dir = RunDirectory(try tempDir("sessions"))
        try SessionLog.append(session(0, 10, kernels), to: dir)
        try SessionLog.append(session(10, 20, kernels), to: dir)
        let text = try String(contentsOfFile: dir.path + "/sessions.csv", encoding: .utf8)
        XCTAssertEqual(
            text.split(separator: "\n").first,
            "started,from_iteration,to_iteration,seconds,threads,program,precision,openblas_core,openblas_set_by,"
                + "openblas_picked,onednn_isa")
        XCTAssertTrue(
            text.contains(
                "2026-12-04T02:00:00Z,0,10,12.2,2,vaegan-render 0.2.0; built here,bf16,SkylakeX,vaegan-render,"
                    + "Prescott,avx512_core_bf16\n"), text)
        let read = SessionLog.read(dir)
        XCTAssertEqual(read.map(\.kernels), [kernels, kernels])
        XCTAssertEqual(read.map(\.toIteration), [10, 20])
        XCTAssertEqual(
            read[0].kernels.text(threads: 2),
            "OpenBLAS SkylakeX (set by vaegan-render; the library picked Prescott), oneDNN avx512_core_bf16, 2 threads, bf16"
        )
    }

    func testAFileOfTheFirstVersionReadsAndIsCarriedForward() throws {
        let dir = RunDirectory(try tempDir("sessions"))
        try
            "started,from_iteration,to_iteration,seconds,threads,program\n2026-11-01T10:00:00Z,0,500,60.0,2,vaegan-render 0.1.0\n"
            .write(toFile: dir.path + "/sessions.csv", atomically: true, encoding: .utf8)
        let old = SessionLog.read(dir)
        XCTAssertEqual(old.count, 1)
        XCTAssertNil(old[0].kernels.text(threads: 2), "no kernels recorded")
        let library = SessionLog.Kernels(
            precision: "fp32", openBLASCore: "Cooperlake", openBLASSetBy: "library", openBLASPicked: "",
            oneDNNISA: "avx2")
        try SessionLog.append(session(500, 600, library), to: dir)
        let lines = try String(contentsOfFile: dir.path + "/sessions.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[0].hasSuffix(",onednn_isa"))
        XCTAssertEqual(lines[1], "2026-11-01T10:00:00Z,0,500,60.0,2,vaegan-render 0.1.0,,,,,")
        let read = SessionLog.read(dir)
        XCTAssertEqual(read.map(\.fromIteration), [0, 500])
        XCTAssertNil(read[0].kernels.text(threads: 2))
        XCTAssertEqual(
            read[1].kernels.text(threads: 1), "OpenBLAS Cooperlake (the library's choice), oneDNN avx2, 1 thread, fp32")
    }
}
