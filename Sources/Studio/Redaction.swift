import Foundation
import RunFolder

/// Answers name the run folder by its name and files by their path inside it: a message that
/// would carry a path of the user's machine (the run folder as given, made absolute or resolved,
/// or the home folder) has it replaced.
struct Redaction: Sendable {
    let name: String
    private let forms: [(String, String)]

    init(_ dir: RunDirectory) {
        let given = dir.path
        name = (given as NSString).lastPathComponent
        let absolute = URL(fileURLWithPath: given).standardized.path
        let real = RunFiles.realPath(given) ?? absolute
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        // Longest first, so that a folder inside another is replaced whole.
        let folder = name
        forms =
            Set([given, absolute, real]).filter { !$0.isEmpty && $0 != "/" }.sorted { $0.count > $1.count }.map {
                ($0, folder)
            }
            + (home.count > 1 ? [(home, "~")] : [])
    }

    func callAsFunction(_ message: String) -> String {
        forms.reduce(message) {
            $0.replacingOccurrences(of: $1.0 + "/", with: $1.1 + "/").replacingOccurrences(of: $1.0, with: $1.1)
        }
    }
}
