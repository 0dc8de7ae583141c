import Datasets
import Foundation
import Tensor
import XCTest

/// Something a test needs is missing from this machine.
public struct MissingRequirement: Error, CustomStringConvertible { public let description: String }

/// Skip a test whose requirement is missing, where running without it is allowed; under
/// scripts/test.sh (VAEGAN_TEST_REQUIRE_ALL=1), which sets up everything, fail instead.
public func requireTool(_ present: Bool, _ what: String) throws {
    guard !present else { return }
    if ProcessInfo.processInfo.environment["VAEGAN_TEST_REQUIRE_ALL"] == "1" {
        throw MissingRequirement(description: "\(what), and VAEGAN_TEST_REQUIRE_ALL=1 says it must be here")
    }
    throw XCTSkip(what)
}

/// Skip a comparison with recorded bytes on a kind of machine that has none recorded yet, even
/// under scripts/test.sh: each kind's kernels round differently, and a new kind's first run is
/// where its bytes get recorded. The one skip that set-up cannot remove.
public func requireRecorded(_ present: Bool, _ what: String) throws {
    guard !present else { return }
    throw XCTSkip(what)
}

/// Where the program looks for MNIST by default ($VAEGAN_MNIST_DIR, else the set-up folder).
public var mnistDirectory: String { DatasetKind.mnist.defaultDirectory }

/// MNIST where the program looks for it: skip without it, except under scripts/test.sh.
public func requireMNIST() throws {
    try requireTool(
        FileManager.default.fileExists(atPath: mnistDirectory),
        "MNIST is not set up at \(mnistDirectory) (scripts/setup.sh)")
}

public extension XCTestCase {
    /// A fresh folder under the temporary directory, removed with everything in it when the test
    /// ends (the suite would otherwise leave its runs and checkpoints behind).
    func tempDir(_ tag: String) throws -> String {
        let dir = NSTemporaryDirectory() + "\(tag)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }
}

/// The parameter group of tests: any one bit the models do not look at.
public extension ParamGroup {
    static let test = ParamGroup(bit: 7)
}

/// The kept fuzzing corpus of one libFuzzer target (Fuzz/Corpus/<target>): file names and bytes.
public func fuzzCorpus(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus/\(target)").path
    let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    return try names.map { ($0, [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0)))) }
}

/// What each input of a kept fuzzing corpus must come to, checked against
/// `Fuzz/Corpus/<outcomes or target>.outcomes` (one "name<TAB>outcome" a line): "loads ..." for an input that
/// must load, "error: ..." with the reader's exact message for one that must fail. `outcome`
/// returns nil for an error that is not the reader's own, which fails the test. With
/// VAEGAN_RECORD_CORPUS=1 the file is written from what this build does (after adding inputs).
public func checkCorpusOutcomes(
    _ target: String, outcomes: String? = nil, mustLoad: Int, _ outcome: ([UInt8]) -> String?
) throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus").path
    let corpus = try fuzzCorpus(target)
    var found: [String: String] = [:]
    for (name, bytes) in corpus {
        guard let o = outcome(bytes) else { XCTFail("\(target)/\(name): not the reader's own error"); continue }
        XCTAssertFalse(o.contains("\n") || o.contains("\t"), "\(target)/\(name): one line")
        found[name] = o
    }
    let file = dir + "/\(outcomes ?? target).outcomes"
    if ProcessInfo.processInfo.environment["VAEGAN_RECORD_CORPUS"] == "1" {
        try found.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value)\n" }.joined().write(
            toFile: file, atomically: true, encoding: .utf8)
    }
    let expected = Dictionary(
        uniqueKeysWithValues: try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        })
    XCTAssertEqual(Set(found.keys), Set(expected.keys), "\(file) names every kept input of \(target), and only those")
    for (name, o) in found.sorted(by: { $0.key < $1.key }) { XCTAssertEqual(o, expected[name], "\(target)/\(name)") }
    XCTAssertGreaterThanOrEqual(
        expected.values.filter { $0.hasPrefix("loads") }.count, mustLoad, "\(target): inputs that must load")
}

/// Skip a test of the bfloat16 paths on a CPU without AVX512_BF16, even under scripts/test.sh:
/// set-up cannot add an instruction set. (`Precision.problem` says what is missing.)
public func requireBF16() throws {
    if let problem = Precision.bf16.problem() { throw XCTSkip(problem) }
}
