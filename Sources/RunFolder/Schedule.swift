/// When a run snapshots, after the notebook: every `iterationsPerPeriod` iterations is a period,
/// and periods 0..99, then every 10th up to 990, are saved (190 periods). The printed notebook
/// counts 3 iterations per period (the last snapshot after iteration 2,970); the one that made the
/// article's films 100 (their titles run Batch 0, 100, ..., 9,900, 10,000, 11,000, ...).
public struct SnapshotSchedule: Equatable, Sendable {
    public var iterationsPerPeriod: Int

    public init(iterationsPerPeriod: Int) {
        precondition(iterationsPerPeriod >= 1)
        self.iterationsPerPeriod = iterationsPerPeriod
    }

    /// The rule, for a user (`train-and-record --help`).
    public static let rule =
        "every --snapshot-every iterations is a period; periods 0-99 and then every 10th up to 990 are saved, "
        + "and each film's title \"Batch: N\" is the iteration N"

    /// The printed notebook's: 3 iterations per period.
    public static let printed = SnapshotSchedule(iterationsPerPeriod: 3)
    /// The figures' notebook's (and its sibling's): 100 iterations per period.
    public static let hundredPerPeriod = SnapshotSchedule(iterationsPerPeriod: 100)

    public static let savedPeriods: [Int] = Array(0..<100) + Array(stride(from: 100, to: 1000, by: 10))
    private static let savedPeriodSet = Set(savedPeriods)

    /// The period to snapshot after iteration `i`, if any.
    public func period(atIteration i: Int) -> Int? {
        guard i >= 0, i % iterationsPerPeriod == 0 else { return nil }
        let p = i / iterationsPerPeriod
        return Self.savedPeriodSet.contains(p) ? p : nil
    }

    /// How many snapshots the first `iterations` iterations take.
    public func snapshotCount(iterations: Int) -> Int {
        Self.savedPeriods.filter { $0 * iterationsPerPeriod < iterations }.count
    }

    /// Iterations needed to take every snapshot of the schedule (the last one after 990 periods).
    public var iterationsForAllSnapshots: Int { Self.savedPeriods.last! * iterationsPerPeriod + 1 }
}
