import ArgumentParser
import Console
import Foundation
import RunModel
import Studio
import Tensor

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "The live studio: watch a run train, explore its latent space and restyle a digit you draw, in the browser.",
        discussion: """
            Serves one page for the run at the printed address. It reads the run folder only, so \
            train-and-record may be training in it meanwhile: progress, losses and the latest snapshot's \
            grids arrive as they are written, and the drawing tools use the latest checkpoint (with \
            --checkpoint, the weights the run kept at that iteration, throughout). The report's \
            films and sheets are shown where `report` has written them. Without --run, and until \
            vaegan-run holds a checkpoint, the drawing tools use the shipped article model (the figure \
            run's weights). Stop with Ctrl-C.
            """)

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var classifierOptions: ClassifierOptions
    @OptionGroup var checkpoint: CheckpointOption

    @Option(help: "Port to listen on (0: any free port).") var port: Int = 8080
    @Option(
        help:
            "Address to listen on. Anything but 127.0.0.1, ::1 or localhost makes the studio reachable from the network."
    )
    var host: String = "127.0.0.1"
    @Option(
        name: .customLong("allow-host"),
        help: ArgumentHelp(
            "Another name the studio answers to in the Host header (repeatable); requests naming any other host get 403.",
            valueName: "name"
        ))
    var allowHost: [String] = []
    @Option(
        help: ArgumentHelp(
            "The key every request must carry (in the URL as ?token=, a cookie the page then keeps, or "
                + "Authorization: Bearer). Default: a random one when --host is not loopback, none on loopback.",
            valueName: "key"))
    var token: String?
    @Option(name: .customLong("max-event-streams"), help: "Live-update streams open at once at most (more get 503).")
    var maxEventStreams: Int = LiveStudio.defaultMaxEventStreams

    func validate() throws {
        try checkRange(port, 0...65_535, "--port")
        try checkRange(maxEventStreams, 1...LiveStudio.defaultMaxEventStreams, "--max-event-streams")
        guard !host.isEmpty else { throw ValidationError("--host must name an address") }
        if let token, let problem = LiveStudio.tokenProblem(token) { throw ValidationError(problem) }
    }

    func run() throws {
        try checkpoint.check(runOptions)
        let studio = try LiveStudio(
            options: .init(
                run: runOptions.run, host: host, port: port, allowedHosts: allowHost,
                articleModel: runOptions.runFlag == nil, maxEventStreams: maxEventStreams,
                token: LiveStudio.token(given: token, host: host), checkpoint: checkpoint.iteration),
            classifier: Result { try classifierOptions.reader(of: try? RunConfig.read(from: runOptions.run)) })
        if runOptions.usesArticleModel {
            Terminal.info(
                "no run in \(runOptions.run) yet: the studio draws with the article model (\(ArticleModel.path)) until it has one",
                quiet: runOptions.quiet)
        }
        Threads.set(runOptions.threads)
        let (run, host, quiet) = (runOptions.run, host, runOptions.quiet)
        try studio.run { address in
            // The address goes to standard output (a script may read it); the rest to stderr.
            FileHandle.standardOutput.write(Data("vaegan-render studio for \(run): \(address)\n".utf8))
            if !LiveStudio.isLoopback(host) {
                Terminal.info(
                    "note: listening on \(host): the studio is reachable from the network, and answers only requests "
                        + "that carry the token in the address above", quiet: quiet)
            }
        }
    }
}
