import Foundation

/// The sweep that `sweep DIR`'s flags ask for: a comma-separated list of values for each setting
/// that varies, and the settings every point shares, made a plan.
public struct SweepRequest: Sendable {
    /// Each varied setting's values as given ("0,1,2").
    public var lists: [SweepSetting: String]
    public var iterations, snapshotEvery, batchSize: Int?
    /// The MNIST folder, as an absolute path.
    public var data: String?
    public var threads: Int?
    /// `evaluate`'s `--samples` and `--test-digits`.
    public var evalSamples, evalTestDigits: Int?

    public init(
        lists: [SweepSetting: String], iterations: Int? = nil, snapshotEvery: Int? = nil, batchSize: Int? = nil,
        data: String? = nil, threads: Int? = nil, evalSamples: Int? = nil, evalTestDigits: Int? = nil
    ) {
        self.lists = lists
        self.iterations = iterations; self.snapshotEvery = snapshotEvery; self.batchSize = batchSize
        self.data = data; self.threads = threads; self.evalSamples = evalSamples; self.evalTestDigits = evalTestDigits
    }

    /// The grid asked for (nil when nothing of a sweep is asked for); an empty item of a list, or
    /// a list the plan refuses, is an error naming its flag.
    public func plan() throws -> SweepPlan? {
        var common: [String] = []
        if let iterations { common += ["--iterations", "\(iterations)"] }
        if let snapshotEvery { common += ["--snapshot-every", "\(snapshotEvery)"] }
        if let batchSize { common += ["--batch-size", "\(batchSize)"] }
        if let data { common += ["--data", data] }
        if let threads { common += ["--threads", "\(threads)"] }
        var evaluate: [String] = []
        if let evalSamples { evaluate += ["--samples", "\(evalSamples)"] }
        if let evalTestDigits { evaluate += ["--test-digits", "\(evalTestDigits)"] }
        let axes = try SweepSetting.allCases.compactMap { setting -> SweepPlan.Axis? in
            guard let list = lists[setting] else { return nil }
            let values =
                list.isEmpty ? [] : list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if values.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                throw SweepError.plan("--\(setting.flag)s has an empty item in '\(list)'")
            }
            return SweepPlan.Axis(setting, values: values)
        }
        if axes.isEmpty && common.isEmpty && evaluate.isEmpty { return nil }
        return try SweepPlan(axes: axes, common: common, evaluate: evaluate)
    }
}
