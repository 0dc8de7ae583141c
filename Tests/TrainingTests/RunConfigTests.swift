import Datasets
import Foundation
import RunFolder
import RunModel
import Tensor
import TestSupport
import Training
import VAEGAN
import XCTest

/// config.json across versions of the program: a run recorded before the variant and the snapshot
/// spacing were settings reads as what it trained (printed, 3 iterations per period); a new one
/// keeps both.
final class RunConfigTests: XCTestCase {
    let older = """
        {"format":"vaegan-render run","version":1,"seed":0,"batchSize":64,"iterations":200,"dataset":"mnist",
         "dataDirectory":"/data","threads":2,"checkpointEvery":100,
         "model":{"kind":"cvae-gan","latentDim":8,"classes":10,"dropout":0.3,"leakyAlpha":0.3,"gamma":1,"trainSimilarity":false,
                  "learningRates":{"encoder":0.001,"decoder":0.0003,"discriminator":0.001,"cvae":0.001}}}
        """

    /// What the data is (its classes, and its images' shape) is kept once, under the model. Files
    /// that kept a bare class count (`model.classes`), with the names beside the model section
    /// (`classNames`) or none (MNIST's digits), or no count at all, read as the same description.
    func testTheDataIsKeptOnceAndEarlierFormsStillRead() throws {
        let dir = try tempDir("config-data")
        let config = { (text: String) in
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/config.json"))
            return try RunConfig.read(from: dir)
        }
        XCTAssertEqual(try config(older).data, .digits, "a bare count of ten: MNIST's digits")
        XCTAssertEqual(try config(older.replacingOccurrences(of: "\"classes\":10,", with: "")).data, .digits)
        let named = older.replacingOccurrences(of: "\"classes\":10", with: "\"classes\":3")
            .replacingOccurrences(
                of: "\"dataset\":\"mnist\",", with: "\"dataset\":\"own\",\"classNames\":[\"a\",\"b\",\"c\"],")
        let own = try config(named)
        XCTAssertEqual(own.data, DataDescription(names: ["a", "b", "c"]))
        try own.write(to: dir)
        let written = try String(contentsOfFile: dir + "/config.json", encoding: .utf8)
        XCTAssertFalse(written.contains("classNames"), "the names are written once, in the model's data")
        XCTAssertEqual(written.components(separatedBy: "\"classes\"").count, 2, written)
        XCTAssertEqual(try RunConfig.read(from: dir).data, own.data)
        for (text, phrase) in [
            (named.replacingOccurrences(of: "\"classes\":3", with: "\"classes\":4"), "classNames holds 3 names"),
            (older.replacingOccurrences(of: "\"classes\":10", with: "\"classes\":1"), "1 classes"),
            (
                older.replacingOccurrences(
                    of: "\"classes\":10", with: "\"data\":{\"classes\":[\"a\",\"b\"],\"side\":29,\"channels\":1}"),
                "image side 29"
            )
        ] {
            XCTAssertThrowsError(try config(text)) { XCTAssertTrue("\($0)".contains(phrase), "\($0)") }
        }
    }

    /// How one's own set fitted its pictures (`fitting`): a file without it (MNIST's, and every run
    /// recorded before it existed) reads as none and writes none; one with it keeps it through a
    /// read and a write (a resume); a hostile one is one line naming the field.
    func testTheSetsFittingIsKeptAndAFileWithoutItReadsAsNone() throws {
        let dir = try tempDir("config-fitting")
        let config = { (text: String) in
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/config.json"))
            return try RunConfig.read(from: dir)
        }
        let old = try config(older)
        XCTAssertNil(old.fitting, "a file without fitting has none")
        XCTAssertEqual(old.fitting ?? PictureFitting.unrecorded, PictureFitting(inverted: false, background: nil))
        XCTAssertFalse(String(decoding: try old.encoded(), as: UTF8.self).contains("fitting"))
        let with = { (fitting: String) in
            self.older.replacingOccurrences(of: "\"seed\":0,", with: "\"seed\":0,\"fitting\":\(fitting),")
        }
        let recorded = try config(with(#"{"inverted":true,"background":"white"}"#))
        XCTAssertEqual(recorded.fitting, PictureFitting(inverted: true, background: .white))
        try recorded.write(to: dir)
        XCTAssertEqual(try RunConfig.read(from: dir).fitting, recorded.fitting, "kept through a write")
        XCTAssertEqual(try config(with(#"{"inverted":false}"#)).fitting, PictureFitting(inverted: false))
        for (fitting, phrase) in [
            (#"{"inverted":"yes"}"#, "wrong type at fitting.inverted"),
            (#"{"background":"black"}"#, "missing fitting.inverted"),
            (#"{"inverted":true,"background":"purple"}"#, "fitting.background \"purple\""),
            (#"{"inverted":true,"background":7}"#, "wrong type at fitting.background"),
            ("[]", "wrong type at fitting")
        ] {
            XCTAssertThrowsError(try config(with(fitting))) {
                XCTAssertTrue("\($0)".contains(phrase) && "\($0)".contains("config.json"), "\($0)")
            }
        }
    }

    func testARunRecordedBeforeVariantsIsPrintedOnTheThreeIterationSchedule() throws {
        let dir = try tempDir("config-old")
        try Data(older.utf8).write(to: URL(fileURLWithPath: dir + "/config.json"))
        let config = try RunConfig.read(from: dir)
        XCTAssertEqual(config.model.variant, .printed)
        XCTAssertEqual(config.model.precision, .fp32, "before precisions, every run trained in float32")
        XCTAssertEqual(config.schedule, .printed)
        XCTAssertNil(config.preset)
    }

    /// New runs share their dropout masks and say so in config.json; a file without the key
    /// (every run recorded before the setting existed, when independent masks were all there
    /// was) reads as independent and resumes so, and so does one that names independent.
    func testNewRunsShareMasksAndOlderRunsKeepIndependentOnes() throws {
        XCTAssertEqual(ModelConfig(data: .digits).dropoutMasks, .shared)
        let dir = try tempDir("config-masks")
        try RunConfig(model: ModelConfig(data: .digits)).write(to: dir)
        XCTAssertTrue(
            try String(contentsOfFile: dir + "/config.json", encoding: .utf8).contains("\"dropoutMasks\" : \"shared\""))
        try Data(older.utf8).write(to: URL(fileURLWithPath: dir + "/config.json"))
        XCTAssertEqual(try RunConfig.read(from: dir).model.dropoutMasks, .independent)
        let resumed = try RunConfig.resuming(
            RunDirectory(dir), variant: nil, snapshotEvery: nil, iterations: 10, threads: nil)
        XCTAssertEqual(resumed.model.dropoutMasks, .independent)
        try resumed.write(to: dir)
        XCTAssertEqual(try RunConfig.read(from: dir).model.dropoutMasks, .independent)
        XCTAssertThrowsError(
            try RunConfig.resuming(
                RunDirectory(dir), variant: nil, dropoutMasks: .shared, snapshotEvery: nil, iterations: nil,
                threads: nil))
        var named = RunConfig(model: ModelConfig(data: .digits, dropoutMasks: .independent))
        named.iterations = 7
        try named.write(to: dir)
        XCTAssertEqual(try RunConfig.read(from: dir).model.dropoutMasks, .independent)
    }

    /// A run keeps its precision: config.json names it, and --resume with the other is refused in
    /// one line naming both; without the flag the run's own is kept.
    func testARunKeepsItsPrecision() throws {
        let dir = try tempDir("config-precision")
        var config = RunConfig(model: ModelConfig(data: .digits))
        config.model = ModelConfig(data: .digits, precision: .bf16)
        try config.write(to: dir)
        XCTAssertTrue(
            try String(contentsOfFile: dir + "/config.json", encoding: .utf8).contains("\"precision\" : \"bf16\""))
        let run = RunDirectory(dir)
        XCTAssertEqual(
            try RunConfig.resuming(run, variant: nil, snapshotEvery: nil, iterations: nil, threads: nil).model
                .precision, .bf16)
        XCTAssertEqual(
            try RunConfig.resuming(
                run, variant: nil, precision: .bf16, snapshotEvery: nil, iterations: nil, threads: nil
            ).model.precision,
            .bf16)
        XCTAssertThrowsError(
            try RunConfig.resuming(
                run, variant: nil, precision: .fp32, snapshotEvery: nil, iterations: nil, threads: nil)
        ) {
            XCTAssertEqual(
                $0 as? RunError,
                .settingDiffers(file: run.configPath, setting: "--precision", run: "bf16", requested: "fp32"))
        }
        try Data(#"{"precision":"fp16"}"#.utf8).write(to: URL(fileURLWithPath: dir + "/config.json"))
        XCTAssertThrowsError(try RunConfig.read(from: dir))
    }

    func testANewRunKeepsItsVariantScheduleAndPreset() throws {
        let dir = try tempDir("config-new")
        var config = RunConfig(model: ModelConfig(data: .digits))
        config.model = ModelConfig(data: .digits, variant: .published)
        config.iterationsPerPeriod = 15
        config.preset = "default"
        try config.write(to: dir)
        let text = try String(contentsOfFile: dir + "/config.json", encoding: .utf8)
        XCTAssertTrue(text.contains("\"variant\" : \"published\""), text)
        let read = try RunConfig.read(from: dir)
        XCTAssertEqual(read, config)
        XCTAssertEqual(read.schedule.period(atIteration: 30), 2)
    }

    /// Gamma follows from the variant and is not written; a config.json from before that holds
    /// its variant's gamma still reads, one whose gamma disagrees (an edit that would train an
    /// unnamed fourth variant) is refused in one line naming the file and both numbers.
    func testGammaFollowsTheVariantAndADisagreeingFileIsRefused() throws {
        XCTAssertEqual(ModelConfig(data: .digits).variant, .figures)
        for (variant, gamma) in [(LossVariant.printed, Float(1)), (.published, 1), (.figures, 0.5)] {
            let dir = try tempDir("config-gamma")
            var config = RunConfig(model: ModelConfig(data: .digits))
            config.model = ModelConfig(data: .digits, variant: variant)
            try config.write(to: dir)
            let text = try String(contentsOfFile: dir + "/config.json", encoding: .utf8)
            XCTAssertFalse(text.contains("gamma"), text)
            let read = try RunConfig.read(from: dir)
            XCTAssertEqual(read.model.variant, variant)
            XCTAssertEqual(read.model.gamma, gamma, "\(variant)")

            let key = "\"variant\" : \"\(variant.rawValue)\""
            try text.replacingOccurrences(of: key, with: key + ", \"gamma\" : \(gamma)")
                .write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
            XCTAssertEqual(try RunConfig.read(from: dir).model.gamma, gamma, "an older file with its own gamma")
            try text.replacingOccurrences(of: key, with: key + ", \"gamma\" : 0.75")
                .write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try RunConfig.read(from: dir)) {
                let line = "\($0)"
                XCTAssertTrue(line.contains("config.json") && line.contains("gamma 0.75"), line)
                XCTAssertTrue(line.contains("whose gamma is \(gamma)"), line)
                XCTAssertFalse(line.contains("\n"), line)
            }
        }
    }

    /// The figure run's films are the mp4s committed with the article's figures: 102 frames titled
    /// Batch 0, 100, ..., 9,900, 10,000, 11,000; the GIF run's the GIFs: 120 frames, on to 29,000.
    func testTheFigureAndGIFRunsSnapshotAsTheCommittedFilms() {
        let early = Array(stride(from: 0, through: 9_900, by: 100))
        for (preset, last, frames) in [(Preset.figureRun, 11_000, 102), (.gifRun, 29_000, 120)] {
            let (iterations, schedule) = preset.plan(.figures)
            let titles = (0..<iterations).filter { schedule.period(atIteration: $0) != nil }
            XCTAssertEqual(titles, early + Array(stride(from: 10_000, through: last, by: 1_000)), preset.rawValue)
            XCTAssertEqual(schedule.snapshotCount(iterations: iterations), frames, preset.rawValue)
            XCTAssertEqual(iterations, last + 1, preset.rawValue)
        }
    }
}
