import Foundation

/// Messages and the progress line, on stderr. The progress line is drawn only on a terminal; the
/// other messages go to a pipe too; with --quiet only errors are printed.
public enum Terminal {
    public static let stderrIsTerminal = isatty(STDERR_FILENO) == 1

    /// One line, "vaegan-render: error: ...", and the exit status (1 unless the error says).
    public static func fail(_ text: String, status: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data((errorLine(text) + "\n").utf8))
        exit(status)
    }

    /// An error as the one line `fail` prints: its lines joined, each trimmed, empty ones dropped.
    public static func errorLine(_ text: String) -> String {
        let parts = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return "vaegan-render: error: " + parts.filter { !$0.isEmpty }.joined(separator: " ")
    }

    public static func info(_ line: String, quiet: Bool) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Redraw the one progress line (terminal only).
    public static func progress(_ line: String) {
        guard stderrIsTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
    }

    public static func endProgress() {
        guard stderrIsTerminal else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

/// The progress line of a long job: redrawn at most four times a second (and at the last step),
/// with the rate and ETA of the work done since it was created; silent with --quiet. Where stderr
/// is no terminal (a pipe, a log file) there is no line to redraw: once the first
/// `estimateAfter` seconds of work are done, one line says how long the rest will take.
public final class ProgressLine {
    let quiet: Bool
    public let start = Date()
    /// Work already done when the line started (a resumed run).
    let startCount: Int
    var lastDraw = Date.distantPast
    let terminal: Bool, estimateAfter: TimeInterval
    /// What is counted, and its rate's unit: "iterations", "it/s" (training) or "steps", "steps/s".
    let units: (name: String, rate: String)
    var estimated = false

    public init(
        quiet: Bool, startCount: Int = 0, terminal: Bool = Terminal.stderrIsTerminal, estimateAfter: TimeInterval = 20,
        units: (name: String, rate: String) = ("iterations", "it/s")
    ) {
        self.quiet = quiet; self.startCount = startCount; self.terminal = terminal; self.estimateAfter = estimateAfter
        self.units = units
    }

    /// `text` gets the rate (units per second) and the ETA, formatted.
    public func draw(done: Int, total: Int, _ text: (_ rate: Double, _ eta: String) -> String) {
        guard !quiet else { return }
        let elapsed = Date().timeIntervalSince(start)
        let rate = Double(done - startCount) / elapsed
        if !terminal {
            guard !estimated, elapsed >= estimateAfter, done < total, rate > 0 else { return }
            estimated = true
            Terminal.info(estimateLine(done: done, total: total, rate: rate), quiet: false)
            return
        }
        guard Date().timeIntervalSince(lastDraw) > 0.25 || done == total else { return }
        lastDraw = Date()
        Terminal.progress(text(rate, durationText(Double(total - done) / rate)))
    }

    /// "estimate: 1,988 iterations left, about 9m12s at 3.60 it/s (measured over the first 112)".
    public func estimateLine(done: Int, total: Int, rate: Double) -> String {
        String(
            format: "estimate: %d %@ left, about %@ at %.2f %@ (measured over the first %d)", total - done,
            units.name, durationText(Double(total - done) / rate), rate, units.rate, done - startCount)
    }

    /// End the line (before other output).
    public func end() { if !quiet && terminal { Terminal.endProgress() } }

    /// Run `body`, which draws this line, and end the line however it ends.
    public func around<R>(_ body: () throws -> R) rethrows -> R {
        defer { end() }
        return try body()
    }
}

/// Ctrl-C (SIGINT) and SIGTERM set a flag that the training loop checks between iterations, so it
/// can write a checkpoint and stop cleanly. A second Ctrl-C stops at once; SIGTERM, however often
/// it comes (a sweep passes it on to its points, and Slurm sends it to every process of a task),
/// always waits for the checkpoint.
public enum StopSignal {
    nonisolated(unsafe) public static var requested: sig_atomic_t = 0

    public static func install() {
        let handler: @convention(c) (Int32) -> Void = { sig in
            if StopSignal.requested != 0 && sig == SIGINT { _exit(130) }
            StopSignal.requested = 1
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }

    /// Where the environment variable `variable` names this process's parent (a sweep's point),
    /// send this process SIGTERM as soon as the parent ends, however it ends (SIGKILL too): a
    /// thread watches the parent's process id twice a second. Nothing where it is not set.
    public static func watchParent(variable: String) {
        guard let text = ProcessInfo.processInfo.environment[variable], let parent = pid_t(text), parent > 1 else {
            return
        }
        Thread.detachNewThread {
            while getppid() == parent { usleep(200_000) }
            kill(getpid(), SIGTERM)
        }
    }
}
