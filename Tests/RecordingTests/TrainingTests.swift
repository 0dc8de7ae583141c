import Foundation
import MNIST
import Recording
import Tensor
import VAEGAN
import XCTest

/// A small slice of MNIST (or, where set-up has not run, random digit-like images).
func smallDataset(train: Int = 512, test: Int = 300) -> Dataset {
    if let d = try? Dataset.load(directory: DatasetKind.mnist.defaultDirectory) {
        return Dataset(train: d.train.prefix(train), test: d.test.prefix(test))
    }
    var rng = RNG(seed: 9)
    func set(_ n: Int) -> DigitSet {
        DigitSet(images: (0..<(n * 784)).map { _ in max(0, rng.uniformFloat() * 2 - 1) }, labels: (0..<n).map { UInt8($0 % 10) })
    }
    return Dataset(train: set(train), test: set(test))
}

final class TrainingTests: XCTestCase {
    override class func setUp() { Threads.set(2) }

    func makeTrainer(_ config: ModelConfig = ModelConfig(), batch: Int = 16, seed: UInt64 = 3) -> Trainer {
        var rng = RNG(seed: seed)
        return Trainer(config: config, weights: ModelWeights(latentDim: config.latentDim, rng: &rng),
                       data: smallDataset().train, batchSize: batch, seed: seed)
    }

    /// The losses the trainer reports against the formulas of both variants evaluated here, in
    /// double precision, on the tensors of the same forward pass.
    func testLossesEqualAnIndependentComputationOfTheFormulas() {
        for variant in LossVariant.allCases {
            let trainer = makeTrainer(ModelConfig(variant: variant))
            for _ in 0..<3 { _ = trainer.runIteration() }  // move away from the initial weights
            var rng = RNG(seed: 4)
            let batch = Batch(trainer.data, indices: 0..<16, latentDim: 8, rng: &rng)
            let pass = trainer.generatorStep(batch)
            let mu = pass.zMean.value.buffer.map(Double.init), lv = pass.zLogVar.value.buffer.map(Double.init)
            var prior = 0.0
            for (m, v) in zip(mu, lv) { let c = min(max(v, -2), 2); prior += 1 + c - m * m - exp(c) }
            prior *= -0.5 / 784
            var gan = 0.0
            for i in 0..<16 {
                gan += log(Double(pass.dReal.value[i]) + 1e-10) + 2 * log(1 - Double(pass.dGenerated.value[i]) + 1e-10)
                    + log(1 - Double(pass.dReconstructed.value[i]) + 1e-10)
            }
            gan *= variant == .printed ? -0.25 / 784 : -0.25 / 16
            var llike = 0.0
            for (a, x) in zip(pass.lReal.value.buffer, pass.lReconstructed.value.buffer) {
                let a = Double(a), x = Double(x)
                switch variant {
                case .printed:
                    let t = 1 / (1 + exp(-a))
                    llike += max(x, 0) - x * t + log(1 + exp(-abs(x)))
                case .published:
                    llike += (a - x) * (a - x)
                }
            }
            llike /= 784
            XCTAssertEqual(Double(pass.prior.value[0]), prior, accuracy: 1e-5 * abs(prior) + 1e-9, "\(variant)")
            XCTAssertEqual(Double(pass.gan.value[0]), gan, accuracy: 1e-5 * abs(gan), "\(variant)")
            XCTAssertEqual(Double(pass.disLlike.value[0]), llike, accuracy: 1e-5 * abs(llike), "\(variant)")
        }
    }

    func changedGroups(_ trainer: Trainer, _ step: () -> Void) -> Set<String> {
        let before = trainer.weights.tensors.mapValues { $0.array }
        step()
        return Set(trainer.weights.names.filter { trainer.weights[$0].value.array != before[$0]! }.map { String($0.split(separator: ".")[0]) + ($0.contains("l_conv") ? ".l" : "") })
    }

    func testEachOptimiserChangesOnlyItsOwnGroupAndLStaysFixed() {
        let trainer = makeTrainer()
        var rng = RNG(seed: 5)
        let batch = Batch(trainer.data, indices: 0..<16, latentDim: 8, rng: &rng)
        XCTAssertEqual(changedGroups(trainer) { trainer.discriminatorStep(batch) }, ["discriminator"])
        XCTAssertEqual(changedGroups(trainer) { trainer.generatorStep(batch) }, ["encoder", "decoder"])
        XCTAssertEqual(changedGroups(trainer) { for _ in 0..<3 { _ = trainer.runIteration() } }, ["encoder", "decoder", "discriminator"])
        var config = ModelConfig()
        config.trainSimilarity = true
        let withL = makeTrainer(config)
        XCTAssertEqual(changedGroups(withL) { withL.discriminatorStep(batch) }, ["discriminator", "discriminator.l"])
    }

    func testThePlainCVAETrainsEncoderAndDecoderOnly() {
        let trainer = makeTrainer(ModelConfig(kind: .cvae))
        var log: IterationLog!
        XCTAssertEqual(changedGroups(trainer) { log = trainer.runIteration() }, ["encoder", "decoder"])
        XCTAssertTrue(log.gan.isNaN)
        XCTAssertEqual(log.discriminatorSteps, 0)
    }

    func testPrintedScheduleHas190SnapshotsTheLastAtIteration2970() {
        let s = SnapshotSchedule.printed
        XCTAssertEqual(SnapshotSchedule.savedPeriods.count, 190)
        XCTAssertEqual(s.snapshotCount(iterations: 30), 10)
        XCTAssertEqual(s.snapshotCount(iterations: 2971), 190)
        XCTAssertEqual(s.snapshotCount(iterations: 2970), 189)
        XCTAssertEqual(s.iterationsForAllSnapshots, 2971)
        XCTAssertEqual(s.period(atIteration: 2970), 990)
        XCTAssertNil(s.period(atIteration: 303))
        XCTAssertEqual(s.period(atIteration: 330), 110)
    }

    /// The published notebook's films: Batch 0, 100, ..., 9,900, then 10,000, 11,000, ...
    func testPublishedScheduleSnapshotsEvery100ThenEvery1000() {
        let s = SnapshotSchedule.published
        let taken = (0..<48_000).filter { s.period(atIteration: $0) != nil }
        XCTAssertEqual(Array(taken.prefix(100)), Array(stride(from: 0, to: 10_000, by: 100)))
        XCTAssertEqual(Array(taken.dropFirst(100).prefix(3)), [10_000, 11_000, 12_000])
        XCTAssertEqual(taken.last, 47_000)
        XCTAssertEqual(taken.count, s.snapshotCount(iterations: 48_000))
        XCTAssertEqual(s.period(atIteration: 11_000), 110)
        XCTAssertNil(s.period(atIteration: 10_100))
    }

    func runConfig(iterations: Int) -> RunConfig {
        var c = RunConfig()
        c.batchSize = 8
        c.iterations = iterations
        c.seed = 11
        c.checkpointEvery = 2
        return c
    }

    func files(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for f in ["checkpoint.safetensors", "recording.vgr", "losses.csv"] {
            out[f] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + f))
        }
        return out
    }

    func testRecordingFollowsTheScheduleAndTheLossLogHasEveryIteration() throws {
        let dir = try tempDir("run") + "/r"
        let session = try TrainingSession(run: RunDirectory(dir), config: runConfig(iterations: 30), dataset: smallDataset(), resume: false)
        XCTAssertEqual(try session.run(), .finished)
        let contents = try RecordingFile.read(path: dir + "/recording.vgr")
        XCTAssertEqual(contents.snapshots.map(\.period), Array(0..<10))
        XCTAssertEqual(contents.snapshots.map(\.iteration), (0..<10).map { $0 * 3 })
        XCTAssertEqual(contents.snapshots[0].grids.count, 10)
        XCTAssertEqual(contents.snapshots[0].grids[0].count, 420 * 420)
        XCTAssertEqual(try LossLog.read(path: dir + "/losses.csv").map(\.iteration), Array(0..<30))
        let config = try RunConfig.read(from: dir)
        XCTAssertEqual(config.iterations, 30)
    }

    /// Same seed and threads: identical files. Stopped and resumed: identical to unbroken.
    func testRunsAreReproducibleAndResumeIsExact() throws {
        let root = try tempDir("repro")
        let data = smallDataset()
        for name in ["a", "b"] {
            let s = try TrainingSession(run: RunDirectory(root + "/" + name), config: runConfig(iterations: 7), dataset: data, resume: false)
            XCTAssertEqual(try s.run(), .finished)
        }
        XCTAssertEqual(try files(root + "/a"), try files(root + "/b"))

        var calls = 0
        do {
            let s = try TrainingSession(run: RunDirectory(root + "/c"), config: runConfig(iterations: 7), dataset: data, resume: false)
            XCTAssertEqual(try s.run(shouldStop: { calls += 1; return calls > 5 }), .interrupted(atIteration: 5))
        }
        // A torn snapshot and loss rows past the checkpoint, as a crash would leave them.
        let rec = root + "/c/recording.vgr"
        let h = FileHandle(forWritingAtPath: rec)!
        h.seekToEndOfFile(); h.write(Data([0x53, 0x4E, 0x41, 0x50, 9, 9, 9])); h.closeFile()
        let resumed = try TrainingSession(run: RunDirectory(root + "/c"), config: try RunConfig.read(from: root + "/c"), dataset: data, resume: true)
        XCTAssertEqual(resumed.startIteration, 5)
        XCTAssertEqual(try resumed.run(), .finished)
        XCTAssertEqual(try files(root + "/c"), try files(root + "/a"))
    }

    func testASecondWriterIsRefused() throws {
        let dir = try tempDir("lock") + "/r"
        let first = try TrainingSession(run: RunDirectory(dir), config: runConfig(iterations: 1), dataset: smallDataset(), resume: false)
        XCTAssertThrowsError(try TrainingSession(run: RunDirectory(dir), config: runConfig(iterations: 1), dataset: smallDataset(), resume: true)) {
            XCTAssertTrue("\($0)".contains("in use by another"), "\($0)")
        }
        _ = first
    }
}
