import Deflate
import Foundation
import MNIST
import RunFolder
import RunModel
import Tensor
import TestSupport
import Training
import VAEGAN
import XCTest

/// A tiny fixed-seed run of each variant, against the bytes this code wrote before (checkpoint,
/// recording and loss log, as CRC-32 and length), on machines of the kind they were recorded on:
/// kernels differ between instruction sets, so bytes are only comparable within one kind.
/// Changes that should keep results (refactors) keep these; changes that change the numbers say so
/// and record them again: `VAEGAN_RECORD_GOLDEN=1 swift test --filter GoldenRunTests`.
final class GoldenRunTests: XCTestCase {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Golden/tiny-runs.txt"
    ).path

    /// "<machine kind> <variant> <file> <crc32 hex> <bytes>" per line.
    func fingerprints(of run: String, variant: LossVariant) throws -> [String] {
        try ["checkpoint.safetensors", "recording.vgr", "losses.csv"].map { name in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: run + "/" + name)))
            return
                "\(Threads.machineKind) \(variant.rawValue) \(name) \(String(Zlib.crc32(bytes), radix: 16)) \(bytes.count)"
        }
    }

    func testTinyRunsWriteTheRecordedBytes() throws {
        try requireMNIST()
        Threads.set(2)
        let data = try Dataset.load(directory: mnistDirectory)
        var lines: [String] = []
        for variant in LossVariant.allCases {
            var config = RunConfig()
            config.model = ModelConfig(variant: variant)
            config.seed = 1
            config.iterations = 6
            config.batchSize = 16
            config.iterationsPerPeriod = 2
            let run = try tempDir("golden") + "/run"
            XCTAssertEqual(
                try TrainingSession(run: RunDirectory(run), config: config, dataset: data, resume: false).run(),
                .finished)
            lines += try fingerprints(of: run, variant: variant)
        }
        let recorded = ((try? String(contentsOfFile: Self.file, encoding: .utf8)) ?? "").split(separator: "\n").map(
            String.init)
        if ProcessInfo.processInfo.environment["VAEGAN_RECORD_GOLDEN"] == "1" {
            let others = recorded.filter { !$0.hasPrefix(Threads.machineKind + " ") }
            try (others + lines).joined(separator: "\n").appending("\n").write(
                toFile: Self.file, atomically: true, encoding: .utf8)
            return
        }
        let mine = recorded.filter { $0.hasPrefix(Threads.machineKind + " ") }
        try requireRecorded(
            !mine.isEmpty,
            "no bytes recorded for machines of kind \(Threads.machineKind) (record them with VAEGAN_RECORD_GOLDEN=1)")
        XCTAssertEqual(lines, mine, "a fixed-seed run wrote different bytes than recorded for this kind of machine")
    }
}
