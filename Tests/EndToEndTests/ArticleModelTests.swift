import Foundation
import TestSupport
import XCTest

/// Without a run: serve, export style-transfer and evaluate use the shipped article model.
final class ArticleModelTests: XCTestCase {
    func testWithoutARunTheArticleModelDraws() throws {
        try requireMNIST()
        let dir = try tempDir("article")
        let iteration = try XCTUnwrap(shippedWeightsIteration)
        let server = try StudioServer(run: nil, directory: dir)
        let state = try server.request("GET", "/api/state").json
        XCTAssertEqual((state["articleModel"] as? [String: Any])?["iteration"] as? Int, iteration)
        let decoded = try server.json("POST", "/api/decode", ["z": Array(repeating: 0, count: 8)])
        XCTAssertEqual(decoded.status, 200, decoded.error)
        XCTAssertEqual(decoded.json["iteration"] as? Int, iteration, "the article model draws")

        let export = try runCLI(["export", "style-transfer", "--label", "3"], in: dir)
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stderr.contains("drawing with the article model"), export.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/style_transfer_3.png"))
        let evaluate = try runCLI(["evaluate", "--json", "--samples", "2", "--test-digits", "100", "--quiet"], in: dir)
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        let record = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(evaluate.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(record["iteration"] as? Int, iteration)
        XCTAssertEqual(record["variant"] as? String, "figures")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/vaegan-run"), "nothing is written as a run")

        // With --run naming a folder that holds no run, nothing stands in.
        let named = try runCLI(["export", "style-transfer", "--run", dir + "/none"], in: dir)
        XCTAssertEqual(named.status, 1)
    }
}
