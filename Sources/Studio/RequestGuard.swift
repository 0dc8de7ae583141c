import Foundation
import HTTPTypes
import Hummingbird

/// Who may talk to the studio, checked before any route runs.
///
/// - **Host.** A page on another site can point a name it controls at 127.0.0.1 (DNS rebinding)
///   and so become same-origin with the studio. The browser still sends that name as `Host`, so
///   any request whose Host is not one of the studio's own names with its port is refused (403).
/// - **One Host.** A request with two Host headers is 400: two readers could take different ones.
/// - **Method.** A path asked with a method it does not take is 405, with `Allow`.
/// - **Origin and Content-Type of a POST.** A cross-origin form or `fetch` may send a "simple"
///   POST (text/plain, no preflight). Requiring `application/json` (415 otherwise) forces a
///   preflight, which the studio never grants (it sends no CORS headers), and an `Origin` other
///   than the studio's own is refused (403). Clients that send no Origin (curl, scripts) pass.
/// - **Token.** The Host check stops DNS rebinding, not a client on the network, which may send
///   any Host it likes. A studio with a token (`StudioToken`; every studio not bound to loopback)
///   answers 401 to a request that carries it neither in the URL (`?token=`, which also sets it
///   as a cookie for the page's own requests), nor in that cookie, nor as `Authorization: Bearer`.
struct RequestGuard<Context: RequestContext>: RouterMiddleware {
    let hosts: AllowedHosts
    let methods: MethodTable
    var token: StudioToken? = nil
    static var host: HTTPField.Name { HTTPField.Name("Host")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // With a token, a page that rebinds a name of its own cannot carry it (its cookie is the
        // studio's, SameSite=Strict): any Host may then reach the studio, e.g. the machine's address.
        // HTTP/1.1 allows one Host (RFC 9112 §3.2): the first becomes the authority and a second
        // stays among the headers, where a proxy in front might have read it instead.
        guard request.headers[values: Self.host].isEmpty else {
            return LiveStudio.error(.badRequest, "the request carries more than one Host header")
        }
        guard let host = request.head.authority, token != nil || hosts.allows(host) else {
            return LiveStudio.error(
                .forbidden,
                "the Host header does not name this studio (\(hosts.listed)); start serve with --allow-host NAME to add one"
            )
        }
        var setCookie: String?
        if let token {
            switch token.check(request) {
            case .missing:
                return LiveStudio.error(
                    .unauthorized,
                    "this studio needs its token: open the address that serve printed (it ends in ?token=…)")
            case .carried: break
            case .inURL: setCookie = token.cookie
            }
        }
        if let allowed = methods.methods(for: request.uri.path), !allowed.contains(request.method),
            !(allowed.contains(.get) && request.method == .head)
        {
            let names = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            var r = LiveStudio.error(.methodNotAllowed, "\(request.uri.path) takes \(names) only")
            r.headers[.allow] = names
            return r
        }
        if request.method == .post {
            let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces)
                .lowercased()
            guard type == "application/json" else {
                return LiveStudio.error(.unsupportedMediaType, "send the body as Content-Type: application/json")
            }
            if let origin = request.headers[.origin], origin.lowercased() != "http://" + host.lowercased() {
                return LiveStudio.error(.forbidden, "requests from another origin are refused")
            }
        }
        var response = try await next(request, context)
        if let setCookie { response.headers[.setCookie] = setCookie }
        return response
    }
}

/// The studio's key: made at random for a studio on the network (or given with --token), and
/// compared in constant time wherever a request may carry it.
struct StudioToken: Sendable {
    let value: [UInt8]
    static let cookieName = "vaegan_studio_token"

    init(_ value: String) { self.value = Array(value.utf8) }

    /// 32 random hex digits (128 bits) from the system's generator.
    public static func random() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    enum Found { case missing, carried, inURL }

    /// Where the request carries the token, if anywhere.
    func check(_ request: Request) -> Found {
        if let q = request.uri.queryParameters.get("token"), matches(q) { return .inURL }
        if let auth = request.headers[.authorization], auth.hasPrefix("Bearer "), matches(String(auth.dropFirst(7))) {
            return .carried
        }
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == Self.cookieName, matches(String(parts[1])) { return .carried }
            }
        }
        return .missing
    }

    /// Constant-time in the candidate's bytes: every byte is compared whatever the first difference.
    func matches(_ candidate: String) -> Bool {
        let c = Array(candidate.utf8)
        var difference = UInt8(c.count == value.count ? 0 : 1)
        for i in 0..<value.count { difference |= value[i] ^ (i < c.count ? c[i] : 0) }
        return difference == 0
    }

    var cookie: String {
        "\(Self.cookieName)=\(String(decoding: value, as: UTF8.self)); Path=/; HttpOnly; SameSite=Strict"
    }
}

/// The methods each path takes, read from the router's own routes (`LiveStudio.router()`), so that no
/// route can be added without this table knowing it. A route ending in `/**` covers every path
/// under it. GET also answers HEAD.
struct MethodTable: Sendable {
    let exact: [String: Set<HTTPRequest.Method>]
    let prefixes: [(prefix: String, methods: Set<HTTPRequest.Method>)]

    init(_ routes: [(method: HTTPRequest.Method, path: String)]) {
        var exact: [String: Set<HTTPRequest.Method>] = [:], prefixes: [String: Set<HTTPRequest.Method>] = [:]
        for route in routes {
            if route.path.hasSuffix("/**") {
                prefixes[String(route.path.dropLast(2)), default: []].insert(route.method)
            } else {
                exact[route.path, default: []].insert(route.method)
            }
        }
        self.exact = exact
        self.prefixes = prefixes.sorted { $0.key.count > $1.key.count }.map { ($0.key, $0.value) }
    }

    /// The methods `path` takes, or nil for a path the studio does not have.
    func methods(for path: String) -> Set<HTTPRequest.Method>? {
        exact[path] ?? prefixes.first { path.hasPrefix($0.prefix) }?.methods
    }
}

/// The Host names the studio answers to: its loopback names, or the address it is bound to and the
/// names given with --allow-host, each with the port it listens on (known once it listens, since
/// --port 0 picks one).
final class AllowedHosts: @unchecked Sendable {
    private let names: Set<String>
    private let lock = NSLock()
    private var port = 0

    static let loopback: Set<String> = ["127.0.0.1", "localhost", "::1"]

    init(bound host: String, extra: [String], port: Int = 0) {
        let own = Self.loopback.contains(host.lowercased()) ? Self.loopback : [host.lowercased()]
        names = Set(own.map(Self.bracketed) + extra.map { Self.bracketed($0.lowercased()) })
        self.port = port
    }

    /// An IPv6 address as it appears in a Host header.
    static func bracketed(_ name: String) -> String { name.contains(":") && !name.hasPrefix("[") ? "[\(name)]" : name }

    func listening(on port: Int) { lock.withLock { self.port = port } }

    var listed: String { names.sorted().joined(separator: ", ") }

    /// `name:port`, or `name` alone where the port is HTTP's default.
    func allows(_ host: String) -> Bool {
        let port = lock.withLock { self.port }
        let h = host.lowercased()
        return names.contains { h == "\($0):\(port)" || (port == 80 && h == $0) }
    }
}
