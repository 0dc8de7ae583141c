import AtomicIO
import Foundation

/// A sweep: a grid of `train-and-record` settings, one run folder per point, kept as sweep.json in
/// the sweep folder. The grid's axes are the settings that vary (seed, variant, ...); everything
/// else is the same for every point. The file is written once, when the sweep starts, and names
/// every point, so that a sweep continued later, or a Slurm task given only its index, runs
/// exactly the runs the sweep began with.
public struct SweepPlan: Codable, Equatable, Sendable {
    public static let fileName = "sweep.json"
    public static let formatName = "vaegan-render sweep"
    /// The folder under the sweep folder that holds one run folder per point.
    public static let runsFolder = "runs"

    /// A setting that varies, and its values in the order given. In sweep.json, `{"flag": "seed",
    /// "values": [...]}`: the setting by its `train-and-record` flag without the dashes.
    public struct Axis: Codable, Equatable, Sendable {
        public let setting: SweepSetting
        public let values: [String]
        public init(_ setting: SweepSetting, values: [String]) { self.setting = setting; self.values = values }

        enum CodingKeys: String, CodingKey {
            case setting = "flag"
            case values
        }
    }

    /// One run of the grid: its folder's name and its value on each axis.
    public struct Point: Codable, Equatable, Sendable {
        public let name: String
        public let values: [SweepSetting: String]
    }

    public var format = formatName
    public var version = 1
    public let axes: [Axis]
    /// Arguments of `train-and-record` that every point gets (e.g. `--iterations 200`).
    public let common: [String]
    /// Arguments of `evaluate`, run on each point after it trains.
    public let evaluate: [String]
    public let points: [Point]
    /// The Slurm job array the sweep was submitted as, once it was.
    public var slurmJob: String?

    /// The grid of `axes` (every combination, the first axis slowest), with `common` arguments.
    public init(axes: [Axis], common: [String], evaluate: [String]) throws {
        for axis in axes {
            guard !axis.values.isEmpty, Set(axis.values).count == axis.values.count else {
                throw SweepError.plan("--\(axis.setting.flag)s needs one or more different values")
            }
            for value in axis.values where !value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) {
                throw SweepError.plan("--\(axis.setting.flag)s: '\(value)' is not a value a run folder can be named by")
            }
        }
        let ordered = SweepSetting.allCases.compactMap { setting in axes.first { $0.setting == setting } }
        var combinations: [[(setting: SweepSetting, value: String)]] = [[]]
        for axis in ordered {
            combinations = combinations.flatMap { c in axis.values.map { c + [(axis.setting, $0)] } }
        }
        self.axes = ordered
        self.common = common
        self.evaluate = evaluate
        points = combinations.map { pairs in
            let name = pairs.map { "\($0.setting.flag)-\($0.value)" }.joined(separator: "_")
            return Point(
                name: name.isEmpty ? "run" : name,
                values: Dictionary(uniqueKeysWithValues: pairs.map { ($0.setting, $0.value) }))
        }
    }

    /// `train-and-record`'s arguments for a new run of `point` in `run`.
    public func trainArguments(_ point: Point, run: String) -> [String] {
        ["train-and-record", "--run", run]
            + axes.flatMap { axis in point.values[axis.setting].map { ["--\(axis.setting.flag)", $0] } ?? [] }
            + common + ["--quiet"]
    }

    /// The point of index `index` (a Slurm task's), or an error naming the sweep's range.
    public func point(_ index: Int) throws -> Point {
        guard points.indices.contains(index) else {
            throw SweepError.plan("--point \(index) is outside the sweep's 0-\(points.count - 1)")
        }
        return points[index]
    }

    /// The run folder of `point` in the sweep folder `sweep`.
    public static func runPath(_ point: Point, in sweep: String) -> String {
        (sweep as NSString).appendingPathComponent(runsFolder + "/" + point.name)
    }

    public static func path(in sweep: String) -> String { (sweep as NSString).appendingPathComponent(fileName) }

    /// The plan in `sweep`, or nil if it holds none.
    public static func read(from sweep: String) throws -> SweepPlan? {
        let path = path(in: sweep)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let plan: SweepPlan
        do { plan = try JSONDecoder().decode(SweepPlan.self, from: data) } catch {
            throw SweepError.file(path, "is not a sweep file (\(error.localizedDescription))")
        }
        guard plan.format == formatName, plan.version == 1 else {
            throw SweepError.file(path, "is not a vaegan-render sweep file of version 1")
        }
        // Hostile or hand-edited: a point's name becomes a folder name.
        for point in plan.points
        where point.name.isEmpty || point.name.contains("/") || point.name.hasPrefix(".") {
            throw SweepError.file(path, "names a run folder '\(point.name)' outside the sweep")
        }
        return plan
    }

    public func write(to sweep: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: Self.path(in: sweep))
    }
}

/// A setting a sweep may vary, in the order a point's name lists them; in sweep.json and a
/// point's name, its `train-and-record` flag without the dashes.
public enum SweepSetting: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable {
    case model, variant, preset, precision
    case latentDim = "latent-dim"
    case seed

    /// `train-and-record`'s flag for it, without the dashes ("latent-dim").
    public var flag: String { rawValue }
}

/// Why a sweep cannot go on, in one line.
public enum SweepError: Error, CustomStringConvertible, Equatable {
    case plan(String)
    case file(String, String)
    case run(String, String)

    public var description: String {
        switch self {
        case .plan(let problem): return problem
        case .file(let path, let problem): return "\(path): \(problem)"
        case .run(let point, let problem): return "sweep: \(point): \(problem)"
        }
    }
}
