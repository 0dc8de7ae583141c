import Dispatch
import Evaluation
import Foundation
import Hummingbird
import Logging
import NIOCore
import RunFolder
import Tensor
import Training

/// `vaegan-render serve`: a local HTTP server that shows one run folder live and draws with its
/// latest weights. It only reads the folder, so `train-and-record` may be writing it meanwhile.
///
///     GET  /                  the studio page (self-contained: no script, style or font from elsewhere)
///     GET  /api/state         the run as JSON (settings, progress, latest snapshot, losses, report items)
///     GET  /api/events        the same, pushed as server-sent events whenever a file of the run changes
///     GET  /api/snapshot      the latest snapshot's ten grids, raw bytes (headers give iteration and size)
///     POST /api/decode        {"z": [...]} -> the ten digits that code draws
///     POST /api/restyle       a drawing -> the 28x28 digit the model saw, the guess, the ten restyled digits
///     GET  /files/<path>      a film, picture or log of the run folder
public final class Studio: Sendable {
    public struct Options: Sendable {
        public var run: String
        public var host: String
        public var port: Int
        /// Draw with the shipped article model until the run has a checkpoint of its own.
        public var articleModel: Bool
        public init(run: String, host: String = "127.0.0.1", port: Int = 8080, articleModel: Bool = false) {
            self.run = run; self.host = host; self.port = port; self.articleModel = articleModel
        }
    }

    /// Why the studio cannot start.
    public enum StartError: Error, CustomStringConvertible {
        case notAFolder(String)
        case portInUse(host: String, port: Int)
        case cannotListen(host: String, port: Int, reason: String)

        public var description: String {
            switch self {
            case .notAFolder(let path): return "\(path): --run names a file, not a run folder"
            case .portInUse(let host, let port): return "port \(port) on \(host) is in use; choose another with --port"
            case .cannotListen(let host, let port, let reason): return "cannot listen on \(host):\(port) (\(reason))"
            }
        }
    }

    let options: Options
    let view: RunView
    let host: ModelHost

    public init(options: Options, classifier: Result<Classifier, Error>) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: options.run, isDirectory: &isDir), !isDir.boolValue { throw StartError.notAFolder(options.run) }
        self.options = options
        let dir = RunDirectory(options.run)
        let article = try options.articleModel ? ArticleModel.open() : nil
        view = RunView(dir: dir, article: article.map { ($0.model.iteration, $0.config.latentDim) })
        host = ModelHost(dir: dir, classifier: classifier, standIn: article?.model)
    }

    /// Serve until the process is stopped. `ready` gets the address once the server listens.
    public func run(ready: @escaping @Sendable (String) -> Void) throws {
        try Self.checkPort(host: options.host, port: options.port)
        let router = Router()
        routes(router)
        var logger = Logger(label: "vaegan-render.studio")
        logger.logLevel = .error
        let shown = options.host.contains(":") ? "[\(options.host)]" : options.host
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "vaegan-render"),
            onServerRunning: { channel in ready("http://\(shown):\(channel.localAddress?.port ?? 0)/") },
            logger: logger)
        // Nothing here needs saving: Ctrl-C and SIGTERM end the process at once (a graceful
        // shutdown would wait for the event streams, which never end by themselves).
        signal(SIGINT) { _ in _exit(0) }
        signal(SIGTERM) { _ in _exit(0) }
        let finished = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Task {
            do { try await app.runService(gracefulShutdownSignals: []) } catch { outcome.set(error) }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error { throw StartError.cannotListen(host: options.host, port: options.port, reason: "\(error)") }
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Error?
        var error: Error? { lock.withLock { stored } }
        func set(_ e: Error) { lock.withLock { stored = e } }
    }

    /// Fail early, in one line, when the port is taken (the server's own bind error says less).
    static func checkPort(host: String, port: Int) throws {
        guard port != 0 else { return }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let info = found else {
            throw StartError.cannotListen(host: host, port: port, reason: "no such host address")
        }
        defer { freeaddrinfo(found) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
            if errno == EADDRINUSE { throw StartError.portInUse(host: host, port: port) }
            throw StartError.cannotListen(host: host, port: port, reason: String(cString: strerror(errno)))
        }
    }
}
