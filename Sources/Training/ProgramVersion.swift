import Foundation

/// The program's version, and the commit of the checkout it runs from when it runs from one
/// (`<checkout>/.build/<triple>/<config>/vaegan-render`), read straight from `.git` so that no
/// git program is needed. Recorded with every training session and shown in reports.
public enum ProgramVersion {
    public static let number = "0.2.0"

    public static let description: String = {
        guard let commit = checkoutCommit() else { return "vaegan-render \(number)" }
        return "vaegan-render \(number) (commit \(commit.prefix(12)))"
    }()

    public static func checkoutCommit() -> String? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let git = dir.appendingPathComponent(".git").path
            if let head = try? String(contentsOfFile: git + "/HEAD", encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines)
            {
                guard head.hasPrefix("ref: ") else { return head.isEmpty ? nil : head }
                let ref = String(head.dropFirst(5))
                if let loose = try? String(contentsOfFile: git + "/" + ref, encoding: .utf8) {
                    return loose.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                let packed = (try? String(contentsOfFile: git + "/packed-refs", encoding: .utf8)) ?? ""
                return packed.split(separator: "\n").first { $0.hasSuffix(" " + ref) }.map {
                    String($0.prefix { $0 != " " })
                }
            }
            dir.deleteLastPathComponent()
        }
        return nil
    }
}
