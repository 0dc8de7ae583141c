import Foundation
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// `serve` as a hostile web page, a hostile local client and a careless user would try it: each
/// request gets a one-line 4xx and the server keeps serving. Bounded in count and time, loopback only.
final class StudioHostileTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws { dir = try tempDir("studio-hostile") }

    func assertError(_ r: HTTPReply, _ status: Int, _ phrase: String, line: UInt = #line) {
        XCTAssertEqual(r.status, status, r.error, line: line)
        XCTAssertTrue(r.error.contains(phrase), "'\(r.error)' should say '\(phrase)'", line: line)
        XCTAssertFalse(r.error.contains("\n"), "one line", line: line)
    }

    /// DNS rebinding, cross-origin POSTs, wrong methods, a symlink to the checkpoint, no path of
    /// the machine in any answer.
    func testForeignHostsOriginsTypesAndMethodsAreRefused() throws {
        let run = try runWithShippedWeights(in: dir)
        try FileManager.default.createSymbolicLink(
            atPath: run + "/weights.json", withDestinationPath: run + "/checkpoint.safetensors")
        let server = try StudioServer(run: run)
        let own = "127.0.0.1:\(server.port)"
        assertError(
            try server.request("GET", "/api/state", headers: ["Host": "evil.example"]), 403,
            "the Host header does not name this studio")
        assertError(
            try server.request("GET", "/files/config.json", headers: ["Host": "evil.example:\(server.port)"]), 403,
            "Host")
        assertError(try server.request("GET", "/", headers: ["Host": "127.0.0.1:1"]), 403, "Host")
        XCTAssertEqual(
            try server.request("GET", "/api/state", headers: ["Host": "localhost:\(server.port)"]).status, 200)
        XCTAssertEqual(try server.request("GET", "/api/state", headers: ["Host": "[::1]:\(server.port)"]).status, 200)

        let z = try JSONSerialization.data(withJSONObject: ["z": Array(repeating: 0, count: 8)])
        assertError(
            try server.request("POST", "/api/decode", body: z, headers: ["Content-Type": "text/plain"]), 415,
            "application/json")
        assertError(try server.request("POST", "/api/decode", body: z), 415, "application/json")
        assertError(
            try server.request(
                "POST", "/api/decode", body: z,
                headers: ["Content-Type": "application/json", "Origin": "http://evil.example"]),
            403, "another origin")
        XCTAssertEqual(
            try server.request(
                "POST", "/api/decode", body: z,
                headers: [
                    "Content-Type": "application/json; charset=utf-8",
                    "Origin": "http://\(own)"
                ]
            ).status, 200)

        let delete = try server.request("DELETE", "/api/state")
        assertError(delete, 405, "takes GET only")
        XCTAssertEqual(delete.headers["allow"], "GET")
        assertError(try server.request("GET", "/api/decode"), 405, "takes POST only")
        assertError(try server.request("PUT", "/files/config.json"), 405, "takes GET only")
        assertError(try server.request("GET", "/files/weights.json"), 404, "no such file")

        // Nothing names a path of this machine: the state, a missing model's error, the files.
        let state = String(decoding: try server.request("GET", "/api/state").body, as: UTF8.self)
        XCTAssertFalse(state.contains(dir), state)
        // config.json names its data folder by its last name only.
        let onDisk = try JSONDecoder().decode(
            DataFolder.self, from: Data(contentsOf: URL(fileURLWithPath: run + "/config.json")))
        XCTAssertTrue(onDisk.dataDirectory.contains("/"), onDisk.dataDirectory)
        let config = try server.request("GET", "/files/config.json")
        XCTAssertEqual(config.status, 200)
        XCTAssertEqual(
            try JSONDecoder().decode(DataFolder.self, from: Data(config.body)).dataDirectory,
            (onDisk.dataDirectory as NSString).lastPathComponent)
        XCTAssertFalse(String(decoding: config.body, as: UTF8.self).contains("/"), "no path at all")

        // Two Host headers: a proxy and the studio could read different ones.
        let twice = try HTTPConnection(port: server.port)
        try twice.sendRaw("GET /api/state HTTP/1.1\r\nHost: \(own)\r\nHost: evil.example\r\n\r\n")
        XCTAssertTrue(try twice.receive(until: "more than one Host header", within: 30), "400 for two Hosts")
        try FileManager.default.removeItem(atPath: run + "/checkpoint.safetensors")
        let none = try server.json("POST", "/api/decode", ["z": Array(repeating: 0, count: 8)])
        XCTAssertEqual(none.status, 503)
        XCTAssertFalse(none.error.contains(dir), none.error)
        XCTAssertTrue(none.error.hasPrefix("shipped holds no checkpoint yet"), none.error)
        XCTAssertEqual(try server.request("GET", "/api/state").status, 200, "still serving")
    }

    struct DataFolder: Decodable { let dataDirectory: String }

    /// The Range header as any page may send it (a CORS-safelisted form): extremes and 10,000 random
    /// ones against the answer worked out here, on one connection; the server lives through all.
    func testRangeHeadersOfAnySizeAreAnsweredAndNeverCrash() throws {
        let run = try runWithShippedWeights(in: dir)
        let server = try StudioServer(run: run)
        let whole = try server.request("GET", "/files/config.json").body
        let size = whole.count
        let huge = r(0, Int.max)
        let extreme = try server.request("GET", "/files/config.json", headers: ["Range": huge])
        XCTAssertEqual(extreme.status, 206)
        XCTAssertEqual(extreme.body, whole)
        for header in ["bytes=-0", "bytes=\(size)-", "bytes=99999999999999999999999-", "bytes=\(size)-\(Int.max)"] {
            assertError(
                try server.request("GET", "/files/config.json", headers: ["Range": header]), 416, "outside the file")
        }
        for header in [
            "bytes=0-1,4-5", "bytes=5-2", "items=0-4", "bytes=x-3", "bytes=--3", "bytes=+1-3", "bytes= 1 - 3"
        ] {
            let reply = try server.request("GET", "/files/config.json", headers: ["Range": header])
            XCTAssertEqual(reply.status, 200, header)
            XCTAssertEqual(reply.body, whole, header)
        }
        XCTAssertEqual(
            try server.request("GET", "/files/config.json", headers: ["Range": "bytes=-99999999999999999999999"]).body,
            whole)

        // Random ranges, expected status and bytes computed independently of the server's parser.
        var rng = SystemRandomNumberGenerator()
        let connection = try HTTPConnection(port: server.port)
        let bounds = [0, 1, size - 1, size, size + 1, Int(Int32.max), Int.max - 1, Int.max]
        func pick() -> Int {
            Bool.random(using: &rng) ? bounds.randomElement(using: &rng)! : Int.random(in: 0...(2 * size), using: &rng)
        }
        for _ in 0..<10_000 {
            let (a, b) = (pick(), pick())
            let form = Int.random(in: 0..<3, using: &rng)
            let header = form == 0 ? r(a, b) : form == 1 ? "bytes=\(a)-" : "bytes=-\(a)"
            let reply = try connection.send("GET", "/files/config.json", headers: ["Range": header])
            let expected: (Int, Data?)
            switch form {
            case 0: expected = a > b ? (200, whole) : a >= size ? (416, nil) : (206, whole[a...min(b, size - 1)])
            case 1: expected = a >= size ? (416, nil) : (206, whole[a...])
            default: expected = a == 0 ? (416, nil) : (206, whole.suffix(min(a, size)))
            }
            XCTAssertEqual(reply.status, expected.0, header)
            if let data = expected.1 { XCTAssertEqual(reply.body, data, header) }
        }
        XCTAssertEqual(try server.request("GET", "/api/state").status, 200, "still serving")
    }

    func r(_ a: Int, _ b: Int) -> String { "bytes=\(a)-\(b)" }

    /// Sockets that send half a request header are closed by the idle timeout, and the page is
    /// answered while they hang; past the cap (64 here), event streams get 503, and closed streams
    /// free their places. Every check waits for an event (an answer, a close, a message) with a
    /// generous bound against a hang; how fast each comes is scripts/studio_load.py's to measure.
    func testHalfOpenSocketsAreClosedAndEventStreamsAreCapped() throws {
        let run = try runWithShippedWeights(in: dir)
        let server = try StudioServer(run: run, extra: ["--max-event-streams", "64"])
        var sockets: [HTTPConnection] = []
        for _ in 0..<300 {
            let c = try HTTPConnection(port: server.port)
            try c.sendRaw("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nX-Slow: ")
            sockets.append(c)
        }
        XCTAssertEqual(try server.request("GET", "/").status, 200, "the page is answered while 300 sockets hang")
        // The idle timeout is 10 s: the first socket's close comes after it, the others' by then.
        XCTAssertTrue(
            sockets.allSatisfy { $0.isClosedByPeer(within: 120) }, "every half-open socket was closed by the server")

        var streams: [HTTPConnection] = []
        for _ in 0..<64 {
            let c = try HTTPConnection(port: server.port)
            try c.sendRaw("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n\r\n")
            streams.append(c)
        }
        for c in streams {
            XCTAssertTrue(try c.receive(until: "event: state", within: 60), "each stream gets the state")
        }
        assertError(try server.request("GET", "/api/events"), 503, "event streams are open")
        // A change in the run reaches every stream.
        try Data("iteration,d_steps,g_steps,L_prior,L_dis_llike,L_GAN\n".utf8).write(
            to: URL(fileURLWithPath: run + "/losses.csv"))
        for c in streams {
            XCTAssertTrue(try c.receive(until: "event: state", within: 60), "the change reaches every stream")
        }
        // A closed stream is noticed at its second write after closing, keep-alives at the latest (every 2.5 s).
        streams.removeAll()
        let freed = Date().addingTimeInterval(120)
        var opened = false
        while !opened && Date() < freed {
            let again = try HTTPConnection(port: server.port)
            try again.sendRaw("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n\r\n")
            opened = try again.receive(until: "event: state", within: 1)
        }
        XCTAssertTrue(opened, "closed streams free their places")
    }

    /// A folder that is no run, an unknown host: one line and status 1, before anything listens.
    func testServeRefusesAFolderThatIsNoRunAndAnUnknownHost() throws {
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))
        let notRun = try runCLI(["serve", "--run", dir, "--port", "0"], in: dir)
        XCTAssertEqual(notRun.status, 1)
        XCTAssertTrue(notRun.stderr.contains("holds no run (no config.json, no recording.vgr)"), notRun.stderr)
        XCTAssertEqual(notRun.stderr.split(separator: "\n").count, 1, notRun.stderr)
        let host = try runCLI(["serve", "--run", dir + "/new", "--host", "nonsense.invalid", "--port", "0"], in: dir)
        XCTAssertEqual(host.status, 1)
        XCTAssertEqual(host.stderr.split(separator: "\n").count, 1, host.stderr)
        XCTAssertTrue(host.stderr.contains("cannot listen on nonsense.invalid"), host.stderr)
        XCTAssertFalse(host.stderr.contains("reachable from the network"), host.stderr)
    }
}
