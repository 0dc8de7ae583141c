/// When the notebook snapshots: every 3 iterations is a period; periods 0..99, then every 10th up
/// to 990, are saved. 190 snapshots, the last at iteration 2970.
public enum SnapshotSchedule {
    public static let iterationsPerPeriod = 3
    public static let savedPeriods: [Int] = Array(0..<100) + Array(stride(from: 100, to: 1000, by: 10))

    /// The period to snapshot after iteration `i`, if any.
    public static func period(atIteration i: Int) -> Int? {
        guard i >= 0, i % iterationsPerPeriod == 0 else { return nil }
        let p = i / iterationsPerPeriod
        return savedPeriodSet.contains(p) ? p : nil
    }

    /// How many snapshots the first `iterations` iterations take.
    public static func snapshotCount(iterations: Int) -> Int {
        savedPeriods.filter { $0 * iterationsPerPeriod < iterations }.count
    }

    private static let savedPeriodSet = Set(savedPeriods)
}
