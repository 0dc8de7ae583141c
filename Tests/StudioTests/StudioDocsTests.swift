import Foundation
import Studio
import XCTest

/// docs/STUDIO.md states the studio's limits; each number is defined once, in the code, and this
/// test fails when the page and the code disagree.
final class StudioDocsTests: XCTestCase {
    static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/STUDIO.md")

    /// 2000 as "2,000", the way the page writes numbers.
    static func grouped(_ n: Int) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal; f.locale = Locale(identifier: "en_US")
        return f.string(from: NSNumber(value: n))!
    }

    func testThePageStatesTheLimitsTheCodeHas() throws {
        // Lines joined, runs of spaces made one, so that a sentence may wrap anywhere.
        let text = try String(contentsOf: Self.page, encoding: .utf8).split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
        let idleSeconds = Int(LiveStudio.idleTimeout.nanoseconds / 1_000_000_000)
        for phrase in [
            "silent for \(idleSeconds) s",
            "at most \(Self.grouped(LiveStudio.maxConnections)) connections",
            "at most \(Self.grouped(LiveStudio.defaultMaxEventStreams)) event streams",
            "a body over \(Requests.bodyLimit / 1024) KB 413",
            "finite numbers within ±\(Int(Requests.latentBound))",
            "sides are not \(Requests.drawingSides.lowerBound) to \(Requests.drawingSides.upperBound) pixels"
        ] {
            XCTAssertTrue(text.contains(phrase), "docs/STUDIO.md should say '\(phrase)'")
        }
    }
}
