import ArgumentParser
import Foundation
import RunFolder
import Tensor

/// Parse and run; any error becomes one line on stderr and exit status 1 (help and version exit 0,
/// an interrupted training run 130).
// oneDNN's OpenMP workers spin for a while after every convolution (libgomp's default wait
// policy), taking a core from the threads and OpenBLAS calls that come next: 16% of a training
// run's CPU time, the run 11% slower (measured). libgomp reads the policy once, when it loads, so
// the program sets it and starts itself again; a policy the user set is kept.
if getenv("OMP_WAIT_POLICY") == nil {
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)  // returns only if it failed: then run as is
}

let missing = CPUCheck.missingFeatures()
if !missing.isEmpty {
    Terminal.fail("this build needs an x86-64 CPU with AVX2 and FMA; this one lacks \(missing.joined(separator: ", "))")
}
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
