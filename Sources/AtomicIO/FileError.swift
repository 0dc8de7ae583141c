/// What went wrong with one file, as one line: its path, then the problem. The error of every
/// part that reads or writes files of its own (the dataset, the classifier, safetensors, films and
/// pictures, atomic writes), each under its own name; a run folder's files have `RunError`, which
/// has a case for each way a run can go wrong.
public struct FileError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let problem: String

    public init(path: String, problem: String) { self.path = path; self.problem = problem }
    public init(path: String, _ problem: String) { self.init(path: path, problem: problem) }

    public var description: String { "\(path): \(problem)" }
}
