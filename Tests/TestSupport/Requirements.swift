import Foundation
import MNIST
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

/// Where the program looks for MNIST by default ($VAEGAN_MNIST_DIR, else the set-up folder).
public var mnistDirectory: String { DatasetKind.mnist.defaultDirectory }

/// MNIST where the program looks for it: skip without it, except under scripts/test.sh.
public func requireMNIST() throws {
    try requireTool(FileManager.default.fileExists(atPath: mnistDirectory), "MNIST is not set up at \(mnistDirectory) (scripts/setup.sh)")
}

/// A fresh folder under the temporary directory.
public func tempDir(_ tag: String) throws -> String {
    let dir = NSTemporaryDirectory() + "\(tag)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
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
