import Foundation
import Training
import VAEGAN
import XCTest

/// docs/USAGE.md's table of presets against `Preset.plan`, the one home of those numbers: every
/// cell's iterations, snapshot spacing and snapshot count ("the same" repeats the cell to its left).
final class PresetDocsTests: XCTestCase {
    func testTheUsageTableIsThePresetsPlan() throws {
        let usage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/USAGE.md")
        let lines = try String(contentsOf: usage, encoding: .utf8).split(separator: "\n")
        let header = try XCTUnwrap(lines.first { $0.contains("| preset | figures") }, "the table's header")
        let variants = header.split(separator: "|").dropFirst(2).map { cell in
            LossVariant.allCases.first { cell.trimmingCharacters(in: .whitespaces).hasPrefix($0.rawValue) }
        }
        XCTAssertEqual(variants, [.figures, .published, .printed])
        let number = { (s: Substring) in Int(s.replacingOccurrences(of: ",", with: "")) }
        let cell =
            #/(?<iterations>[\d,]+) iterations, (?:a snapshot )?every (?<every>\d+): (?:all )?(?<snapshots>\d+) snapshots/#
        var seen: Set<Preset> = []
        for line in lines where line.hasPrefix("  | `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
            let preset = try XCTUnwrap(Preset(rawValue: cells[0].trimmingCharacters(in: ["`"])), String(line))
            seen.insert(preset)
            var previous: (Int, Int, Int)?
            for (variant, text) in zip(variants.compactMap { $0 }, cells.dropFirst()) {
                let documented: (Int, Int, Int)
                if text == "the same" {
                    documented = try XCTUnwrap(previous, "\(preset) \(variant): 'the same' as nothing")
                } else {
                    let m = try XCTUnwrap(text.firstMatch(of: cell), "\(preset) \(variant): '\(text)'")
                    documented = (number(m.iterations)!, number(m.every)!, number(m.snapshots)!)
                }
                let plan = preset.plan(variant)
                XCTAssertTrue(
                    documented
                        == (
                            plan.iterations, plan.schedule.iterationsPerPeriod,
                            plan.schedule.snapshotCount(iterations: plan.iterations)
                        ),
                    "\(preset) \(variant): USAGE says \(documented), the code \(plan)")
                previous = documented
            }
        }
        XCTAssertEqual(seen, Set(Preset.allCases), "a row for every preset")
    }
}
