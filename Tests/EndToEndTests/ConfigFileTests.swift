import Foundation
import TestSupport
import XCTest

/// A run's config.json edited by hand or taken from elsewhere: every kind of damage gives one line
/// naming the file and exit status 1, for each command that reads a run.
final class ConfigFileTests: XCTestCase {
    func testHostileConfigurationFiles() throws {
        let dir = try tempDir("config")
        let run = dir + "/run"
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        let valid = """
            {"format":"vaegan-render run","version":1,"seed":0,"batchSize":64,"iterations":10,"dataset":"mnist",
             "dataDirectory":"/nowhere","threads":2,"checkpointEvery":100,
             "model":{"kind":"cvae-gan","latentDim":8,"classes":10,"dropout":0.3,"leakyAlpha":0.3,"gamma":1,"trainSimilarity":false,
                      "learningRates":{"encoder":0.001,"decoder":0.0003,"discriminator":0.001,"cvae":0.001}}}
            """
        let cases: [(String, String)] = [
            ("{not json", "not a valid run configuration"),
            ("[]", "not a valid run configuration"),
            ("", "not a valid run configuration"),
            (
                valid.replacingOccurrences(of: "\"vaegan-render run\"", with: "\"something else\""),
                "not a vaegan-render run configuration"
            ),
            (valid.replacingOccurrences(of: "\"version\":1", with: "\"version\":9"), "version 9"),
            (valid.replacingOccurrences(of: "\"batchSize\":64,", with: ""), "missing batchSize"),
            (valid.replacingOccurrences(of: "\"seed\":0", with: "\"seed\":\"zero\""), "wrong type at seed"),
            (valid.replacingOccurrences(of: "\"seed\":0", with: "\"seed\":-3"), "not a valid run configuration"),
            (valid.replacingOccurrences(of: "\"latentDim\":8", with: "\"latentDim\":1"), "latentDim 1"),
            (valid.replacingOccurrences(of: "\"batchSize\":64", with: "\"batchSize\":0"), "batchSize 0"),
            (
                valid.replacingOccurrences(of: "\"iterations\":10", with: "\"iterations\":-1"),
                "iterations must be positive"
            ),
            (valid.replacingOccurrences(of: "\"threads\":2", with: "\"threads\":100000"), "threads 100000"),
            (
                valid.replacingOccurrences(of: "\"kind\":\"cvae-gan\"", with: "\"kind\":\"gan\""),
                "not a valid run configuration"
            ),
            (valid.replacingOccurrences(of: "\"dropout\":0.3", with: "\"dropout\":1.5"), "dropout"),
            (
                valid.replacingOccurrences(of: "\"checkpointEvery\":100", with: "\"checkpointEvery\":0"),
                "checkpointEvery"
            ),
            (
                valid.replacingOccurrences(
                    of: "\"kind\":\"cvae-gan\"", with: "\"kind\":\"cvae-gan\",\"variant\":\"fancy\""),
                "not a valid run configuration"
            ),
            (
                valid.replacingOccurrences(
                    of: "\"checkpointEvery\":100", with: "\"checkpointEvery\":100,\"iterationsPerPeriod\":0"),
                "iterationsPerPeriod 0"
            ),
            (
                valid.replacingOccurrences(
                    of: "\"checkpointEvery\":100",
                    with: "\"checkpointEvery\":100,\"fitting\":{\"inverted\":true,\"background\":\"grey\"}"),
                "fitting.background"
            ),
            (
                valid.replacingOccurrences(
                    of: "\"checkpointEvery\":100", with: "\"checkpointEvery\":100,\"fitting\":{\"inverted\":1}"),
                "wrong type at fitting.inverted"
            )
        ]
        for (text, expected) in cases {
            try Data(text.utf8).write(to: URL(fileURLWithPath: run + "/config.json"))
            for command in [["train-and-record", "--resume"], ["render", "--all"], ["export", "losses"]] {
                let r = try runCLI(command + ["--run", run], in: dir)
                XCTAssertEqual(r.status, 1, "\(command) with \(expected): \(r.stderr)")
                XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
                XCTAssertTrue(r.stderr.contains("config.json"), "\(r.stderr) should name the file")
                XCTAssertTrue(r.stderr.contains(expected), "\(command): \(r.stderr) should say \(expected)")
            }
        }
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: run), ["config.json"], "nothing else written")
    }
}
