import Datasets
import Deflate
import Foundation
import RunFolder
import RunModel
import Tensor
import TestSupport
import Training
import VAEGAN
import XCTest

/// A tiny fixed-seed run of each variant, on every machine trained twice, once unbroken and once
/// stopped and resumed in the middle, which must write the same bytes (checkpoint, recording and
/// loss log); and, on machines of a kind they were recorded on, against the bytes this code wrote
/// before (as CRC-32 and length): kernels differ between instruction sets, so recorded bytes are
/// only comparable within one kind. Changes that should keep results (refactors) keep these;
/// changes that change the numbers say so and record them again:
/// `VAEGAN_RECORD_GOLDEN=1 swift test --filter GoldenRunTests`.
final class GoldenRunTests: XCTestCase {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Golden/tiny-runs.txt"
    ).path
    static let files = ["checkpoint.safetensors", "recording.vgr", "losses.csv"]

    func config(_ variant: LossVariant, masks: DropoutMasks = .independent) -> RunConfig {
        var config = RunConfig(model: ModelConfig(data: .digits))
        config.model = ModelConfig(data: .digits, variant: variant, dropoutMasks: masks)
        config.seed = 1
        config.iterations = 6
        config.batchSize = 16
        config.iterationsPerPeriod = 2
        return config
    }

    /// Train the tiny run of `variant` into a new folder, stopping after `stopAfter` iterations
    /// and resuming from that checkpoint if given; returns the folder.
    func train(_ variant: LossVariant, _ data: Dataset, stopAfter: Int? = nil, masks: DropoutMasks = .independent)
        throws -> String
    {
        let run = try tempDir("golden") + "/run"
        do {  // the session holds the run's lock until it ends
            let session = try TrainingSession(
                run: RunDirectory(run), config: config(variant, masks: masks), dataset: data, resume: false)
            var iterations = 0
            let outcome = try session.run(shouldStop: {
                iterations += 1; return stopAfter.map { iterations > $0 } ?? false
            })
            XCTAssertEqual(outcome, stopAfter.map { .interrupted(atIteration: $0) } ?? .finished)
        }
        if let stopAfter {
            let resumed = try TrainingSession(
                run: RunDirectory(run), config: try RunConfig.read(from: run), dataset: data, resume: true)
            XCTAssertEqual(resumed.startIteration, stopAfter)
            XCTAssertEqual(try resumed.run(), .finished)
        }
        return run
    }

    func bytes(of run: String) throws -> [String: Data] {
        try Dictionary(
            uniqueKeysWithValues: Self.files.map { ($0, try Data(contentsOf: URL(fileURLWithPath: run + "/" + $0))) })
    }

    /// "<machine kind> <variant> <file> <crc32 hex> <bytes>" per line.
    func fingerprints(of run: String, variant: LossVariant) throws -> [String] {
        try Self.files.map { name in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: run + "/" + name)))
            return
                "\(Threads.machineKind) \(variant.rawValue) \(name) \(String(Zlib.crc32(bytes), radix: 16)) \(bytes.count)"
        }
    }

    /// Runs on every machine, whatever its kind: the same seed, kernels and threads give the same
    /// bytes, also across a stop and a resume in the middle.
    func testTinyRunsWriteTheSameBytesTwiceAlsoWhenResumed() throws {
        try requireMNIST()
        Threads.set(2)
        let data = try Dataset.load(directory: mnistDirectory)
        for variant in LossVariant.allCases {
            let unbroken = try bytes(of: train(variant, data))
            XCTAssertEqual(try bytes(of: train(variant, data)), unbroken, "\(variant): trained twice, other bytes")
            XCTAssertEqual(
                try bytes(of: train(variant, data, stopAfter: 3)), unbroken,
                "\(variant): stopped at iteration 3 and resumed, other bytes than unbroken")
        }
    }

    /// The same with shared dropout masks, which the resumed run must keep (config.json says so),
    /// and which train other numbers than independent masks.
    func testSharedMasksWriteTheSameBytesTwiceAlsoWhenResumed() throws {
        try requireMNIST()
        Threads.set(2)
        let data = try Dataset.load(directory: mnistDirectory)
        let unbroken = try bytes(of: train(.figures, data, masks: .shared))
        XCTAssertEqual(try bytes(of: train(.figures, data, masks: .shared)), unbroken, "trained twice, other bytes")
        XCTAssertEqual(
            try bytes(of: train(.figures, data, stopAfter: 3, masks: .shared)), unbroken,
            "stopped at iteration 3 and resumed, other bytes than unbroken")
        XCTAssertNotEqual(try bytes(of: train(.figures, data))["losses.csv"], unbroken["losses.csv"])
    }

    func testTinyRunsWriteTheRecordedBytes() throws {
        try requireMNIST()
        Threads.set(2)
        let data = try Dataset.load(directory: mnistDirectory)
        let recorded = ((try? String(contentsOfFile: Self.file, encoding: .utf8)) ?? "").split(separator: "\n").map(
            String.init)
        let mine = recorded.filter { $0.hasPrefix(Threads.machineKind + " ") }
        let recording = ProcessInfo.processInfo.environment["VAEGAN_RECORD_GOLDEN"] == "1"
        try requireRecorded(
            recording || !mine.isEmpty,
            "no bytes recorded for machines of kind \(Threads.machineKind), so only "
                + "testTinyRunsWriteTheSameBytesTwiceAlsoWhenResumed guards them here "
                + "(record them with VAEGAN_RECORD_GOLDEN=1)")
        var lines: [String] = []
        for variant in LossVariant.allCases { lines += try fingerprints(of: train(variant, data), variant: variant) }
        if recording {
            let others = recorded.filter { !$0.hasPrefix(Threads.machineKind + " ") }
            try (others + lines).joined(separator: "\n").appending("\n").write(
                toFile: Self.file, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(lines, mine, "a fixed-seed run wrote different bytes than recorded for this kind of machine")
    }
}
