import Foundation
import XCTest

/// Something a test needs is missing from this machine.
struct MissingRequirement: Error, CustomStringConvertible { let description: String }

/// Skip a test whose requirement is missing, where running without it is allowed; under
/// scripts/test.sh (VAEGAN_TEST_REQUIRE_ALL=1), which sets up everything, fail instead.
func requireTool(_ present: Bool, _ what: String) throws {
    guard !present else { return }
    if ProcessInfo.processInfo.environment["VAEGAN_TEST_REQUIRE_ALL"] == "1" {
        throw MissingRequirement(description: "\(what), and VAEGAN_TEST_REQUIRE_ALL=1 says it must be here")
    }
    throw XCTSkip(what)
}

/// MNIST where the program looks for it by default ($VAEGAN_MNIST_DIR or the set-up folder).
func requireMNIST() throws {
    let env = ProcessInfo.processInfo.environment
    let home = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
    let dir = env["VAEGAN_MNIST_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/vaegan-render/mnist"
    try requireTool(FileManager.default.fileExists(atPath: dir), "MNIST is not set up at \(dir) (scripts/setup.sh)")
}
