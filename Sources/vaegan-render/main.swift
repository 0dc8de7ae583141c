import ArgumentParser
import Foundation

/// Parse and run; any error becomes one line on stderr and exit status 1 (help and version exit 0,
/// an interrupted training run 130).
let missing = CPUCheck.missingFeatures()
if !missing.isEmpty {
    Terminal.fail("this build needs an x86-64 CPU with AVX2 and FMA; this one lacks \(missing.joined(separator: ", "))")
}
do {
    var command = try VaeganRender.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    if VaeganRender.exitCode(for: error) == .success { VaeganRender.exit(withError: error) }
    Terminal.fail(VaeganRender.message(for: error))
}
