import Datasets
import RunModel
import Sweep

extension ComparePage {
    /// The page of the sweep in folder `sweep`, showing the sheets and manifolds of `label`, which
    /// must be a class of some run of it (each run shows it where it is one of its own); test
    /// digits from `dataDirectory` (nil: where each run's config.json says).
    public init(sweepIn sweep: String, label: String, dataDirectory: String?) throws {
        guard let plan = try SweepPlan.read(from: sweep) else {
            throw SweepError.plan(
                "\(sweep) holds no sweep (no \(SweepPlan.fileName)); make one with vaegan-render sweep")
        }
        let runs = plan.points.compactMap { try? RunConfig.read(from: SweepPlan.runPath($0, in: sweep)).data }
        if !runs.isEmpty, !runs.contains(where: { $0.classes.label(of: label) != nil }) {
            _ = try runs[0].classes.labelsGiven(label, allowAll: false)
        }
        self.init(sweep: sweep, plan: plan, label: label, dataDirectory: dataDirectory)
    }

    /// The runs left out of the numbers because they are not evaluated yet.
    public var pending: [String] { comparison.settings.flatMap(\.pending) }
}
