import ArgumentParser
import Console
import Foundation
import RunFolder
import Tensor

/// Parse and run; any error becomes one line on stderr and exit status 1 (help and version exit 0,
/// an interrupted training run 130).
Threads.restartWithPassiveWaitPolicy()

if let problem = CPUCheck.problem { Terminal.fail(problem) }
do {
    var command = try VaeganRender.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch let error as RunError {
    Terminal.fail(error.description, status: error.exitStatus)
} catch {
    if VaeganRender.exitCode(for: error) == .success { VaeganRender.exit(withError: error) }
    Terminal.fail(VaeganRender.message(for: error))
}
