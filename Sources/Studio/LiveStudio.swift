import Dispatch
import Evaluation
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import RunFolder
import RunModel
import Tensor

/// `vaegan-render serve`: a local HTTP server that shows one run folder live and draws with its
/// latest weights. It only reads the folder, so `train-and-record` may be writing it meanwhile.
/// Its routes are in Routes.swift, and each is described in API/openapi.json (a test holds the
/// two to each other).
public final class LiveStudio: Sendable {
    public struct Options: Sendable {
        public var run: String
        public var host: String
        public var port: Int
        /// More names the studio answers to in the Host header (besides its own address).
        public var allowedHosts: [String]
        /// Draw with the shipped article model until the run has a checkpoint of its own.
        public var articleModel: Bool
        /// Event streams open at once at most; past it /api/events answers 503.
        public var maxEventStreams: Int
        /// The key every request must carry (`StudioToken`), or nil for none (loopback by default).
        public var token: String?
        /// Draw with the weights the run kept at this iteration (`--checkpoint`) instead of
        /// following its latest checkpoint.
        public var checkpoint: Int?
        public init(
            run: String, host: String = "127.0.0.1", port: Int = 8080, allowedHosts: [String] = [],
            articleModel: Bool = false,
            maxEventStreams: Int = LiveStudio.defaultMaxEventStreams, token: String? = nil, checkpoint: Int? = nil
        ) {
            self.run = run; self.host = host; self.port = port; self.allowedHosts = allowedHosts;
            self.articleModel = articleModel
            self.maxEventStreams = maxEventStreams
            self.token = token
            self.checkpoint = checkpoint
        }
    }

    /// How long a connection may stay silent (a request header half sent, a client gone quiet)
    /// before it is closed. Event streams are responses in progress and are not cut by it.
    public static let idleTimeout: TimeAmount = .seconds(10)
    /// Open connections at most; past it new ones wait to be accepted (room for every event
    /// stream and as many requests again).
    public static let maxConnections = 2 * defaultMaxEventStreams
    /// The event streams a studio keeps open by default.
    public static let defaultMaxEventStreams = 1_000

    /// Why the studio cannot start.
    public enum StartError: Error, CustomStringConvertible {
        case notAFolder(String)
        case notARun(String)
        case portInUse(host: String, port: Int)
        case cannotListen(host: String, port: Int, reason: String)

        public var description: String {
            switch self {
            case .notAFolder(let path): return "\(path): --run names a file, not a run folder"
            case .notARun(let path):
                return "\(path): --run names a folder that holds no run (no config.json, no recording.vgr)"
            case .portInUse(let host, let port): return "port \(port) on \(host) is in use; choose another with --port"
            case .cannotListen(let host, let port, let reason): return "cannot listen on \(host):\(port) (\(reason))"
            }
        }
    }

    let options: Options
    let view: RunView
    let host: ModelHost
    let events: EventHub
    let hosts: AllowedHosts

    public init(options: Options, classifier: Result<Classifier, Error>) throws {
        try Self.checkRunFolder(options.run)
        self.options = options
        let dir = RunDirectory(options.run)
        let article = try options.articleModel && options.checkpoint == nil ? ArticleModel.open() : nil
        // A named checkpoint is opened now: a missing or damaged one stops the studio before it starts.
        let pinned = try options.checkpoint.map {
            try dir.model(config: try RunConfig.read(from: dir.path), checkpoint: $0)
        }
        view = RunView(
            dir: dir, article: article.map { ($0.model.iteration, $0.config.latentDim) },
            classifierClassCount: (try? classifier.get())?.classCount)
        host = ModelHost(dir: dir, classifier: classifier, standIn: article?.model, pinned: pinned)
        events = EventHub(view: view, capacity: options.maxEventStreams)
        hosts = AllowedHosts(bound: options.host, extra: options.allowedHosts, port: options.port)
    }

    /// A fresh random token for a studio on the network (`StudioToken`).
    public static func randomToken() -> String { StudioToken.random() }

    /// The key of a studio listening on `host`: the one given, else a random one where the
    /// studio is reachable from the network, none on loopback.
    public static func token(given: String?, host: String) -> String? {
        given ?? (isLoopback(host) ? nil : randomToken())
    }

    /// Why `token` cannot be a studio's key (fewer than 16 letters, digits, '-' or '_'), or nil.
    public static func tokenProblem(_ token: String) -> String? {
        let allowed = token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return token.count < 16 || !allowed ? "--token must be at least 16 letters, digits, '-' or '_'" : nil
    }

    /// Whether an address is this machine's own (the studio is then not reachable from the network).
    public static func isLoopback(_ host: String) -> Bool { AllowedHosts.loopback.contains(host.lowercased()) }

    /// A folder the studio can show: missing or empty (a run that train-and-record is about to
    /// start: the page waits for it), or one that holds a run's config.json or recording.
    static func checkRunFolder(_ path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return }
        guard isDir.boolValue else { throw StartError.notAFolder(path) }
        let dir = RunDirectory(path)
        guard dir.isEmptyOrAbsent || dir.holdsRun || FileManager.default.fileExists(atPath: dir.recordingPath) else {
            throw StartError.notARun(path)
        }
    }

    /// The routes of Routes.swift behind the request guard, whose table of methods is read from
    /// the same routes (laid once on a router of their own first).
    public func router() -> Router<BasicRequestContext> {
        let probe = Router()
        routes(probe)
        let router = Router()
        router.add(
            middleware: RequestGuard(
                hosts: hosts, methods: MethodTable(probe.routes.map { ($0.method, "\($0.path)") }),
                token: options.token.map(StudioToken.init))
        )
        routes(router)
        return router
    }

    /// The application: the routes behind the request guard, with the timeouts and caps above.
    /// `run` serves it; tests call it in-process (HummingbirdTesting's router tests).
    public func application(ready: @escaping @Sendable (String) -> Void = { _ in }) -> some ApplicationProtocol {
        let router = router()
        var logger = Logger(label: "vaegan-render.studio")
        logger.logLevel = .error
        let shown = AllowedHosts.bracketed(options.host)
        let hosts = self.hosts, token = options.token
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: Self.idleTimeout)),
            configuration: .init(
                address: .hostname(options.host, port: options.port), serverName: "vaegan-render",
                availableConnectionsDelegate: MaximumAvailableConnections(Self.maxConnections, logger: logger)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                hosts.listening(on: port)
                ready("http://\(shown):\(port)/" + (token.map { "?token=" + $0 } ?? ""))
            },
            logger: logger)
    }

    /// Serve until the process is stopped. `ready` gets the address once the server listens.
    public func run(ready: @escaping @Sendable (String) -> Void) throws {
        try Self.checkPort(host: options.host, port: options.port)
        Self.raiseFileLimit()
        let app = application(ready: ready)
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
        if let error = outcome.error {
            throw StartError.cannotListen(host: options.host, port: options.port, reason: "\(error)")
        }
    }

    /// Let the process hold as many descriptors as the system allows it (the connection cap,
    /// not the common soft limit of 1,024, decides when new connections wait).
    static func raiseFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Error?
        var error: Error? { lock.withLock { stored } }
        func set(_ e: Error) { lock.withLock { stored = e } }
    }

    /// Fail early, in one line, when the port is taken (the server's own bind error says less).
    static func checkPort(host: String, port: Int) throws {
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
        if port != 0, bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
            if errno == EADDRINUSE { throw StartError.portInUse(host: host, port: port) }
            throw StartError.cannotListen(host: host, port: port, reason: String(cString: strerror(errno)))
        }
    }
}
