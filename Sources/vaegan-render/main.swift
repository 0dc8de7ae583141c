import ArgumentParser
import Console
import Foundation
import RunFolder
import Sweep
import Tensor

/// Parse and run; any error becomes one line on stderr and exit status 1 (help and version exit 0,
/// an interrupted training run 130).
KernelEnvironment.prepare()
// A sweep's point stops (at its next iteration, with a checkpoint) when its sweep ends.
StopSignal.watchParent(variable: SweepRunner.parentVariable)

if let problem = CPUCheck.problem { Terminal.fail(problem) }
do {
    var command = try VaeganRender.parseAsRoot()
    // train-and-record, bench and kernels name their kernels in full; the others say only where
    // the OpenBLAS core is not the library's own, on a terminal.
    if let reader = command as? RunCommand, !(command is TrainAndRecord), !reader.runOptions.quiet,
        Terminal.stderrIsTerminal, let note = KernelChoice.current(precision: .fp32).note()
    {
        Terminal.info(note, quiet: false)
    }
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch let error as RunError {
    Terminal.fail(error.description, status: error.exitStatus)
} catch {
    if VaeganRender.exitCode(for: error) == .success { VaeganRender.exit(withError: error) }
    Terminal.fail(VaeganRender.message(for: error))
}
