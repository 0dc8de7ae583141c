import Foundation
import RunFolder
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

    func testARunRecordedBeforeVariantsIsPrintedOnTheThreeIterationSchedule() throws {
        let dir = try tempDir("config-old")
        try Data(older.utf8).write(to: URL(fileURLWithPath: dir + "/config.json"))
        let config = try RunConfig.read(from: dir)
        XCTAssertEqual(config.model.variant, .printed)
        XCTAssertEqual(config.schedule, .printed)
        XCTAssertNil(config.preset)
    }

    func testANewRunKeepsItsVariantScheduleAndPreset() throws {
        let dir = try tempDir("config-new")
        var config = RunConfig()
        config.model = ModelConfig(variant: .published)
        config.iterationsPerPeriod = 15
        config.preset = "default"
        try config.write(to: dir)
        let text = try String(contentsOfFile: dir + "/config.json", encoding: .utf8)
        XCTAssertTrue(text.contains("\"variant\" : \"published\""), text)
        let read = try RunConfig.read(from: dir)
        XCTAssertEqual(read, config)
        XCTAssertEqual(read.schedule.period(atIteration: 30), 2)
    }
}
