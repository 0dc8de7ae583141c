import Foundation

/// A duration as "42s", "3m07s" or "1h05m".
public func durationText(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "--" }
    let s = Int(seconds.rounded())
    return s >= 3600
        ? "\(s / 3600)h\(String(format: "%02d", s / 60 % 60))m"
        : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
}
