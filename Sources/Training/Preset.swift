import RunFolder
import VAEGAN

/// What each preset trains: iterations and snapshot spacing, by variant.
public enum Preset: String, CaseIterable, Sendable {
    case standard = "default", schedule, notebook

    public func plan(_ variant: LossVariant) -> (iterations: Int, schedule: SnapshotSchedule) {
        switch (self, variant) {
        case (.standard, .published): return (1_500, SnapshotSchedule(iterationsPerPeriod: 24))
        case (.standard, .printed): return (200, .printed)
        case (.schedule, _): return (SnapshotSchedule.printed.iterationsForAllSnapshots, .printed)
        case (.notebook, .published): return (48_000, .published)
        case (.notebook, .printed): return (48_000, .printed)
        }
    }

    public var summary: String {
        func describe(_ v: LossVariant) -> String {
            let (n, s) = plan(v)
            return "\(v.rawValue), \(n.formatted()) iterations, a snapshot every \(s.iterationsPerPeriod) (\(s.snapshotCount(iterations: n)))"
        }
        let note: String
        switch self {
        case .standard: note = "the demo; published trains in under 10 minutes on 2 AVX-512 cores"
        case .schedule: note = "the printed notebook's whole snapshot schedule"
        case .notebook: note = "the notebook's 48,000 iterations on its own schedule"
        }
        return "\(note): \(describe(.published)); \(describe(.printed))."
    }
}
