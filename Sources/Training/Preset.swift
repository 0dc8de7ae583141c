import RunFolder
import VAEGAN

/// What each preset trains: iterations and snapshot spacing, by variant.
public enum Preset: String, CaseIterable, Sendable {
    case standard = "default", figureRun = "figure-run", gifRun = "gif-run", schedule, notebook

    /// The iteration of the figure run's last film frame: the article's PNG figures and the mp4
    /// films committed with them (102 frames, Batch 0 ... 11,000) come from a run stopped there.
    public static let figureRunLastSnapshot = 11_000
    /// The same for the earlier, longer run that made the committed GIFs (120 frames, Batch 0 ... 29,000).
    public static let gifRunLastSnapshot = 29_000

    public func plan(_ variant: LossVariant) -> (iterations: Int, schedule: SnapshotSchedule) {
        switch (self, variant) {
        case (.standard, .figures): return (2_100, SnapshotSchedule(iterationsPerPeriod: 34))
        case (.standard, .published): return (1_500, SnapshotSchedule(iterationsPerPeriod: 24))
        case (.standard, .printed): return (200, .printed)
        // Iterations 0...11,000 (and 0...29,000), so that the snapshot after the last is taken:
        // 102 (and 120) in all.
        case (.figureRun, _): return (Self.figureRunLastSnapshot + 1, .hundredPerPeriod)
        case (.gifRun, _): return (Self.gifRunLastSnapshot + 1, .hundredPerPeriod)
        case (.schedule, _): return (SnapshotSchedule.printed.iterationsForAllSnapshots, .printed)
        case (.notebook, .printed): return (48_000, .printed)
        case (.notebook, _): return (48_000, .hundredPerPeriod)
        }
    }

    public var summary: String {
        func describe(_ v: LossVariant) -> String {
            let (n, s) = plan(v)
            return
                "\(v.rawValue), \(n.formatted()) iterations, a snapshot every \(s.iterationsPerPeriod) (\(s.snapshotCount(iterations: n)))"
        }
        switch self {
        case .standard:
            return
                "the demo, within 10 minutes on 2 AVX-512 cores: \(LossVariant.allCases.map(describe).joined(separator: "; "))."
        case .figureRun:
            return
                "the run that made the article's PNG figures and mp4 films (titles Batch 0 ... 11,000), 20-40 minutes "
                + "(resume it with --resume): \(describe(.figures))."
        case .gifRun:
            return
                "the earlier run that made the article's GIFs (titles Batch 0 ... 29,000), hours long: \(describe(.figures))."
        case .schedule: return "the printed notebook's whole snapshot schedule: \(describe(.printed))."
        case .notebook:
            return "the notebook's 48,000 iterations on its own schedule: \(describe(.figures)); \(describe(.printed))."
        }
    }
}
