import ArgumentParser
import Foundation

/// Parse and run; any error becomes one line on stderr and exit status 1 (help and version exit 0,
/// an interrupted training run 130).
do {
    var command = try VaeganRender.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    if VaeganRender.exitCode(for: error) == .success { VaeganRender.exit(withError: error) }
    Terminal.fail(VaeganRender.message(for: error))
}
