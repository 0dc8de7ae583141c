import ArgumentParser
import Foundation

/// Parse and run; any error becomes one line on stderr and exit status 1 (help and version exit 0).
do {
    var command = try VaeganRender.parseAsRoot()
    try command.run()
} catch {
    if VaeganRender.exitCode(for: error) == .success { VaeganRender.exit(withError: error) }
    Terminal.fail(error)
}
