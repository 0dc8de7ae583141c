import Foundation
import RunFolder
import Tensor
import TestSupport
import Training
import XCTest

/// The program's choice of OpenBLAS core, end to end on this machine: the library's own choice
/// where it fits, the program's where the library falls back to generic kernels (played here with
/// `BLASCore.testPickedVariable`, since this CPU is one the library knows; the restarted program
/// then really runs the core it set), the user's OPENBLAS_CORETYPE kept; and every session's
/// kernels in sessions.csv and the first line of train-and-record.
final class KernelChoiceTests: XCTestCase {
    var dir: String!
    override func setUpWithError() throws { dir = try tempDir("kernels") }

    /// The program run with `environment`, in this process's environment less the core setting
    /// (unless `environment` makes one) and its companion (which scripts/test.sh may have set).
    func run(_ args: [String], _ environment: [String: String] = [:]) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try runCLI(
            args, in: dir, environment: environment,
            removing: [BLASCore.pickedVariable] + (environment["OPENBLAS_CORETYPE"] == nil ? ["OPENBLAS_CORETYPE"] : [])
        )
    }

    /// `kernels --json`, as `run` runs it.
    func kernels(_ environment: [String: String] = [:]) throws -> KernelChoice.Record {
        let r = try run(["kernels", "--json"], environment)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try JSONDecoder().decode(KernelChoice.Record.self, from: Data(r.stdout.utf8))
    }

    var best: String {
        get throws {
            try XCTUnwrap(BLASCore.best(flags: CPUCheck.flags()), "this CPU runs no better than generic kernels")
        }
    }

    /// The test that fails if the program would run generic kernels on a CPU with AVX2 and FMA.
    func testTheProgramRunsNoGenericKernels() throws {
        let object = try kernels()
        let core = object.openBLASCore
        XCTAssertNotEqual(BLASCore.tier(of: core), .generic, "the program runs OpenBLAS's generic \(core) kernels")
        XCTAssertTrue(["library", "vaegan-render"].contains(object.openBLASSetBy), "\(object)")
        // oneDNN's instruction set by name, the same one the machine kind gives by number.
        let kind = object.machineKind
        let number = try XCTUnwrap(UInt32(kind.split(separator: "-")[2]), kind)
        XCTAssertEqual(kind, "dnnl-isa-\(number)-\(core)")
        XCTAssertEqual(object.oneDNNISA, KernelChoice.oneDNNISAName(number))
    }

    func testAGenericChoiceIsReplacedAndTheReplacementRuns() throws {
        let object = try kernels([BLASCore.testPickedVariable: "Prescott"])
        XCTAssertEqual(object.openBLASCore, try best, "the restarted program runs the core it chose")
        XCTAssertEqual(object.openBLASSetBy, "vaegan-render")
        XCTAssertEqual(object.openBLASPicked, "Prescott")
    }

    func testTheUsersCoreIsKeptAndAGenericOneNoted() throws {
        let r = try run(["kernels"], ["OPENBLAS_CORETYPE": "Prescott"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(
            r.stdout.hasPrefix("kernels: OpenBLAS Prescott (set by OPENBLAS_CORETYPE), oneDNN "), r.stdout)
        XCTAssertEqual(
            r.stderr,
            "note: OPENBLAS_CORETYPE holds OpenBLAS to its generic Prescott kernels; this CPU runs \(try best)'s "
                + "(unset OPENBLAS_CORETYPE to let vaegan-render choose)\n")
        let quiet = try run(["kernels", "--quiet"], ["OPENBLAS_CORETYPE": "Prescott"])
        XCTAssertEqual(quiet.stderr, "", "--quiet silences the note")
    }

    /// A session's kernels: the first line of train-and-record, and its row of sessions.csv.
    func testTrainingNamesItsKernels() throws {
        try requireMNIST()
        let folder = dir + "/run"
        let r = try run(
            [
                "train-and-record", "--run", folder, "--iterations", "2", "--snapshot-every", "1", "--batch-size", "8",
                "--threads", "2"
            ], [BLASCore.testPickedVariable: "Prescott"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let first = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(
            first.hasPrefix(
                "kernels: OpenBLAS \(try best) (set by vaegan-render; the library picked Prescott), oneDNN "),
            first)
        XCTAssertTrue(first.hasSuffix(", 2 threads, fp32"), first)
        let sessions = SessionLog.read(RunDirectory(folder))
        XCTAssertEqual(sessions.count, 1)
        let k = try XCTUnwrap(sessions.first?.kernels)
        XCTAssertEqual(
            [k.openBLASCore, k.openBLASSetBy, k.openBLASPicked, k.precision],
            [try best, "vaegan-render", "Prescott", "fp32"])
        XCTAssertFalse(k.oneDNNISA.isEmpty)
    }
}
