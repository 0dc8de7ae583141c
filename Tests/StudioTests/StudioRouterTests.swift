import Browser
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Studio
import TestSupport
import XCTest

/// The studio's application as `serve` builds it, driven in-process by HummingbirdTesting's router
/// client: no port, no process. The browser and hostile-client tests (EndToEndTests) drive the
/// real server; these check the page, the guard and the answers one request at a time. The router
/// client names the host `localhost` (no port), so the studio is made for port 80.
final class StudioRouterTests: XCTestCase {
    /// A studio on an empty run folder, drawing with the shipped article model.
    func studio(host: String = "127.0.0.1", token: String? = nil) throws -> LiveStudio {
        let run = try tempDir("router") + "/run"
        return try LiveStudio(
            options: .init(run: run, host: host, port: 80, articleModel: true, token: token),
            classifier: .failure(CancellationError()))
    }

    static func json(origin: String? = nil) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        if let origin { fields[.origin] = origin }
        return fields
    }

    /// The page is studio.html with its style and script inlined and both sizes written in: no
    /// placeholder left, nothing fetched from elsewhere, and its explorer the report page's.
    func testThePageIsWholeAndSelfContained() async throws {
        try await studio().application().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "text/html; charset=utf-8")
                let page = String(buffer: response.body)
                XCTAssertFalse(page.contains("{{"), "a placeholder is left")
                XCTAssertTrue(page.contains(#"data-digit-side="28" data-grid-side="420""#))
                XCTAssertTrue(page.contains("const DIGIT = Number(document.body.dataset.digitSide)"), "the script")
                XCTAssertTrue(page.contains(".pill.live"), "the style is inlined")
                XCTAssertTrue(page.contains(WebModel.explorerScript), "the explorer is the report page's script")
                XCTAssertTrue(page.contains(ExplorerSection.css), "with the report page's style for it")
                XCTAssertTrue(page.contains(#"<section id="explore" data-axes="0,1"><h2>"#))
                XCTAssertFalse(page.contains("src=\"http") || page.contains("href=\"http"), "nothing from elsewhere")
            }
        }
    }

    /// A studio with a token answers 401 without it; with it in the URL it answers and sets it as
    /// a cookie, which (like Authorization: Bearer) then lets the page's own requests in. A wrong
    /// token, one a byte short or a byte long, is 401 too.
    func testATokenKeepsOutWhoeverLacksIt() async throws {
        let token = "k3y-0123456789abcdef"
        try await studio(token: token).application().test(.router) { client in
            for uri in [
                "/", "/api/state", "/files/config.json", "/?token=wrong", "/?token=" + token.dropLast(),
                "/?token=" + token + "0"
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    XCTAssertEqual(response.status, .unauthorized, uri)
                    XCTAssertTrue(String(buffer: response.body).contains("needs its token"), uri)
                    XCTAssertNil(response.headers[.setCookie], uri)
                }
            }
            var cookie = ""
            try await client.execute(uri: "/?token=" + token, method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                cookie = try XCTUnwrap(response.headers[.setCookie])
                XCTAssertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie)
            }
            var withCookie = HTTPFields()
            withCookie[.cookie] = "other=1; " + String(cookie.split(separator: ";")[0])
            try await client.execute(uri: "/api/state", method: .get, headers: withCookie) {
                XCTAssertEqual($0.status, .ok)
            }
            var bearer = HTTPFields()
            bearer[.authorization] = "Bearer " + token
            try await client.execute(uri: "/api/state", method: .get, headers: bearer) {
                XCTAssertEqual($0.status, .ok)
            }
            bearer[.authorization] = "Bearer " + token.uppercased()
            try await client.execute(uri: "/api/state", method: .get, headers: bearer) {
                XCTAssertEqual($0.status, .unauthorized)
            }
        }
        // Without a token (loopback's default) nothing changes.
        try await studio().application().test(.router) { client in
            try await client.execute(uri: "/api/state", method: .get) { XCTAssertEqual($0.status, .ok) }
        }
    }

    /// The guard, before any route: a wrong method 405 with Allow, a POST that is not JSON 415, a
    /// POST from another origin 403, a second Host header 400, and a Host that is not the studio's
    /// own 403.
    func testTheGuardRefusesWhatAHostilePageCouldSend() async throws {
        let body = ByteBuffer(string: #"{"z": [0, 0, 0, 0, 0, 0, 0, 0]}"#)
        try await studio().application().test(.router) { client in
            try await client.execute(uri: "/api/state", method: .delete) {
                XCTAssertEqual($0.status, .methodNotAllowed)
                XCTAssertEqual($0.headers[.allow], "GET")
            }
            var text = HTTPFields()
            text[.contentType] = "text/plain"
            try await client.execute(uri: "/api/decode", method: .post, headers: text, body: body) {
                XCTAssertEqual($0.status, .unsupportedMediaType)
            }
            try await client.execute(
                uri: "/api/decode", method: .post, headers: Self.json(origin: "http://attacker.example"), body: body
            ) {
                XCTAssertEqual($0.status, .forbidden)
            }
            try await client.execute(
                uri: "/api/decode", method: .post, headers: Self.json(origin: "http://localhost"), body: body
            ) {
                XCTAssertEqual($0.status, .ok, "its own origin")
            }
            var twoHosts = HTTPFields()
            twoHosts[HTTPField.Name("Host")!] = "attacker.example"
            try await client.execute(uri: "/api/state", method: .get, headers: twoHosts) {
                XCTAssertEqual($0.status, .badRequest)
                XCTAssertTrue(String(buffer: $0.body).contains("more than one Host header"))
            }
        }
        // Bound to another address, the studio answers to that name only: `localhost` is foreign.
        try await studio(host: "192.0.2.1").application().test(.router) { client in
            try await client.execute(uri: "/api/state", method: .get) { XCTAssertEqual($0.status, .forbidden) }
        }
    }

    /// A run folder that does not exist yet: the state names the run, never its path; the article
    /// model decodes ten digits of one code; a code of the wrong length is a 400 naming z.
    func testStateAndDecodeAnswerJSON() async throws {
        try await studio().application().test(.router) { client in
            try await client.execute(uri: "/api/state", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                let state = try JSONDecoder().decode(Answer.State.self, from: Data(buffer: response.body))
                XCTAssertEqual(state.run, "run", "the run by its name, never its path")
            }
            let code = ByteBuffer(string: #"{"z": [0.5, -1, 0, 0, 0, 0, 0, 0]}"#)
            try await client.execute(uri: "/api/decode", method: .post, headers: Self.json(), body: code) { response in
                XCTAssertEqual(response.status, .ok, String(buffer: response.body))
                let answer = try JSONDecoder().decode(Answer.Decoded.self, from: Data(buffer: response.body))
                XCTAssertEqual(answer.digits.map { Data(base64Encoded: $0)?.count }, Array(repeating: 784, count: 10))
            }
            let short = ByteBuffer(string: #"{"z": [1]}"#)
            try await client.execute(uri: "/api/decode", method: .post, headers: Self.json(), body: short) {
                XCTAssertEqual($0.status, .badRequest)
                XCTAssertTrue(String(buffer: $0.body).contains("z"), String(buffer: $0.body))
            }
        }
    }

    static let seven = (0..<784).map { UInt8(($0 % 28 > 10 && $0 % 28 < 16 && $0 / 28 > 4 && $0 / 28 < 24) ? 255 : 0) }

    /// A body for POST /api/restyle-image: MNIST's shape and a bar of ink, but for what is given.
    static func body(side: Any = 28, channels: Any = 1, image: Any? = nil, label: Any = 7) -> ByteBuffer {
        let picture = image ?? Data(seven).base64EncodedString()
        let object: [String: Any] = ["side": side, "channels": channels, "image": picture, "label": label]
        return ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    /// POST /api/restyle-image: a picture the page fitted into the model's square comes back as
    /// every label; each thing wrong with one is a 400 (413 over the body limit) of one line that
    /// names it, and nothing is computed.
    func testAPictureIsRestyledAndEveryBadOneRefusedInOneLine() async throws {
        let seven = Self.seven
        let wrong: [(ByteBuffer, HTTPResponse.Status, String)] = [
            (
                Self.body(side: 30), .badRequest,
                "'side' must be a whole number of pixels, a multiple of 4 from 16 to 64"
            ),
            (Self.body(side: 68), .badRequest, "'side' must be"),
            (Self.body(side: 28.5), .badRequest, "'side' must be"),
            (Self.body(side: "28"), .badRequest, "'side' must be"),
            (Self.body(channels: 2), .badRequest, "'channels' must be 1 (grey) or 3 (colour)"),
            (
                Self.body(side: 32, channels: 3, image: Data(count: 3072).base64EncodedString()), .badRequest,
                "the image is 32x32 colour; this run's model takes 28x28 grey images"
            ),
            (
                Self.body(image: Data(count: 783).base64EncodedString()), .badRequest,
                "'image' holds 783 bytes; a 28x28 grey image has 784"
            ),
            (Self.body(image: "not base64!"), .badRequest, "'image' must be base64 of side x side x channels bytes"),
            (Self.body(image: String(repeating: "A", count: 60_000)), .badRequest, "'image' must be base64"),
            (Self.body(image: 7), .badRequest, "'image' must be base64"),
            (Self.body(label: 10), .badRequest, "'label' must be a label 0-9 of this run's model"),
            (Self.body(label: -1), .badRequest, "'label' must be a label 0-63"),
            (ByteBuffer(string: #"{"side": NaN, "channels": 1}"#), .badRequest, "NaN or Infinity"),
            (ByteBuffer(string: "[]"), .badRequest, "the body is not a JSON object"),
            (Self.body(image: String(repeating: "A", count: 70_000)), .contentTooLarge, "the body is over 64 KB")
        ]
        let good = Self.body()
        try await studio().application().test(.router) { client in
            try await client.execute(uri: "/api/restyle-image", method: .post, headers: Self.json(), body: good) {
                XCTAssertEqual($0.status, .ok, String(buffer: $0.body))
                let answer = try JSONDecoder().decode(Answer.Restyled.self, from: Data(buffer: $0.body))
                XCTAssertEqual(answer.label, 7)
                XCTAssertEqual(answer.digit, Data(seven).base64EncodedString(), "the picture as the model saw it")
                XCTAssertEqual(answer.digits.map { Data(base64Encoded: $0)?.count }, Array(repeating: 784, count: 10))
            }
            for (request, status, message) in wrong {
                try await client.execute(uri: "/api/restyle-image", method: .post, headers: Self.json(), body: request)
                {
                    let text = String(buffer: $0.body)
                    XCTAssertEqual($0.status, status, text)
                    let error = try JSONDecoder().decode(Answer.Failure.self, from: Data(buffer: $0.body)).error
                    XCTAssertTrue(error.contains(message), "\(error) should say \(message)")
                    XCTAssertFalse(error.contains("\n"), "one line: \(error)")
                }
            }
        }
    }

    /// Every route the router has is in the OpenAPI document, with its method, and the document
    /// has no path the router lacks; docs/STUDIO.md's table names each. A route added without its
    /// description fails here. The document is valid JSON with every number written in.
    func testTheRoutesAreTheDocumentsPaths() throws {
        let studio = try studio()
        let routed = Set(studio.router().routes.map { "\($0.method.rawValue) \($0.path)" })
        let text = OpenAPIDocument.json(latentDim: 8)
        XCTAssertFalse(text.contains("{{"), "a placeholder is left")
        let paths = try JSONDecoder().decode(OpenAPIPaths.self, from: Data(text.utf8)).paths
        // The document writes a route's trailing `**` (any path under it) as `{path}`.
        let described = Set(
            paths.flatMap { path, operations in
                operations.keys.map { "\($0.uppercased()) \(path.replacingOccurrences(of: "{path}", with: "**"))" }
            })
        XCTAssertEqual(routed, described, "the router's routes and the OpenAPI document's operations")
        XCTAssertEqual(routed.count, 9)

        XCTAssertTrue(text.contains(#""minItems": 8, "maxItems": 8"#), "the latent size is written in")

        let page = try String(contentsOf: StudioDocsTests.page, encoding: .utf8)
        for route in routed {
            let shown = route.replacingOccurrences(of: "**", with: "<path>")
            XCTAssertTrue(page.contains("`\(shown)`"), "docs/STUDIO.md's table names \(shown)")
        }
    }
}

/// The OpenAPI document's operations by path and method (what each says is the document's own).
struct OpenAPIPaths: Decodable {
    struct Operation: Decodable {}
    let paths: [String: [String: Operation]]
}
