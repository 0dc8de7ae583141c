import Evaluation
import Foundation
import RunFolder
import RunModel
import Sweep

/// A sweep's runs side by side (`vaegan-render compare`): for each setting (the sweep's axes but
/// the seed) the mean and spread over its seeds of every `evaluate` measure, as a table, JSON and
/// CSV, and a page with the loss curves overlaid and each run's style-transfer sheet and last
/// manifold next to the others'.
public struct SweepComparison: Codable {
    /// The mean, sample standard deviation (0 for one run) and count of one measure over a
    /// setting's evaluated runs.
    public struct Spread: Codable, Equatable {
        public let mean: Double, sd: Double, n: Int

        public init(_ values: [Double]) {
            let n = values.count, mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
            let squares = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            self.n = n
            self.mean = mean
            sd = n > 1 ? (squares / Double(n - 1)).squareRoot() : 0
        }
    }

    /// One setting: its value on each axis but the seed, its runs, and its measures by name.
    public struct Setting: Codable {
        public let values: [String: String]
        public let runs: [String]
        /// Runs that are not yet evaluated, left out of the measures.
        public let pending: [String]
        public let measures: [String: Spread]
    }

    /// The axes of the table: the sweep's axes but the seed, in the sweep's order.
    public let axes: [String]
    public let seeds: [String]
    public let settings: [Setting]
    /// The measures' names, in `evaluate`'s order.
    public let measures: [String]

    public init(sweep: String, plan: SweepPlan) {
        axes = plan.axes.map(\.setting).filter { $0 != .seed }.map(\.flag)
        seeds = plan.axes.first { $0.setting == .seed }?.values ?? []
        var order: [[SweepSetting: String]] = []
        var members: [[SweepSetting: String]: [SweepPlan.Point]] = [:]
        for point in plan.points {
            let key = point.values.filter { $0.key != .seed }
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(point)
        }
        settings = order.map { key in
            let points = members[key]!
            let records = points.map { EvaluationRecord.read(RunDirectory(SweepPlan.runPath($0, in: sweep))) }
            var spreads: [String: Spread] = [:]
            for measure in Measure.allCases {
                spreads[measure.name] = Spread(records.compactMap { $0.flatMap { measure.number(in: $0.report) } })
            }
            return Setting(
                values: Dictionary(uniqueKeysWithValues: key.map { ($0.key.flag, $0.value) }), runs: points.map(\.name),
                pending: zip(points, records).filter { $0.1 == nil }.map(\.0.name), measures: spreads)
        }
        // The colour measures only where some run of the sweep measured colour.
        let settings = settings
        measures = Measure.allCases.filter { measure in
            !measure.isColour || settings.contains { ($0.measures[measure.name]?.n ?? 0) > 0 }
        }.map(\.name)
    }

    /// The table as CSV: the axes, then mean, sd and n of each measure.
    public var csv: String {
        func field(_ s: String) -> String {
            s.contains(",") || s.contains("\"") ? "\"\(s.replacingOccurrences(of: "\"", with: "\"\""))\"" : s
        }
        let header = axes + ["runs"] + measures.flatMap { [$0 + " mean", $0 + " sd", $0 + " n"] }
        let rows = settings.map { s in
            axes.map { s.values[$0] ?? "" } + ["\(s.runs.count)"]
                + measures.flatMap { m -> [String] in
                    let v = s.measures[m]!
                    return v.n == 0 ? ["", "", "0"] : ["\(v.mean)", "\(v.sd)", "\(v.n)"]
                }
        }
        return ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return (try? encoder.encode(self)) ?? Data()
    }
}
