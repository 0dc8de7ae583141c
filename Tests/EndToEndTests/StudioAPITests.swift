import Foundation
import Studio
import TestSupport
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// `serve` over plain HTTP on loopback: what each API answers, every bad input with its status
/// and one-line error, no file outside the run folder, a run without a model, a port in use, and
/// many clients at once.
final class StudioAPITests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws { dir = try tempDir("studio") }

    func testEveryAnswerAndEveryBadInput() throws {
        let run = try runWithShippedWeights(in: dir)
        let server = try StudioServer(run: run)

        let page = try server.request("GET", "/")
        XCTAssertEqual(page.status, 200)
        let html = String(decoding: page.body, as: UTF8.self)
        XCTAssertTrue(html.contains("<canvas id=\"draw\""), "the page has the drawing board")
        XCTAssertFalse(
            html.contains("http://") || html.contains("https://") || html.contains("src=\"//"),
            "nothing is fetched from elsewhere")

        let state = try server.request("GET", "/api/state").decoded(Answer.State.self)
        XCTAssertEqual(state.config?.latentDim, 8)
        XCTAssertEqual(state.snapshot?.iteration, 2, "the tiny run's last snapshot")
        XCTAssertEqual(state.training?.state, "finished")
        XCTAssertEqual(state.losses?.iteration, [0, 1, 2])

        let snapshot = try server.request("GET", "/api/snapshot")
        XCTAssertEqual(snapshot.status, 200)
        XCTAssertEqual(snapshot.body.count, 10 * 420 * 420)
        XCTAssertEqual(snapshot.headers["x-iteration"], "2")

        // The ten digits of one code, from the checkpoint (at the run's iteration).
        let decoded = try server.json("POST", "/api/decode", ["z": [0.5, -0.5, 0, 0, 0, 0, 0, 0]])
        XCTAssertEqual(decoded.status, 200, decoded.error)
        let answer = try decoded.decoded(Answer.Decoded.self)
        XCTAssertEqual(answer.iteration, 3)
        let digits = answer.digits
        XCTAssertEqual(digits.count, 10)
        for d in digits { XCTAssertEqual(Data(base64Encoded: d)?.count, 784) }
        XCTAssertNotEqual(digits[0], digits[1], "each label draws its own digit")

        // Bad input: status and the one line that says what is wrong.
        func expect(_ path: String, _ body: Data, _ status: Int, _ phrase: String, line: UInt = #line) throws {
            let r = try server.request("POST", path, body: body, headers: ["Content-Type": "application/json"])
            XCTAssertEqual(
                r.status, status, "\(String(decoding: body.prefix(80), as: UTF8.self)): \(r.error)", line: line)
            XCTAssertTrue(r.error.contains(phrase), "\(r.error) should say '\(phrase)'", line: line)
            XCTAssertFalse(r.error.contains("\n"), "one line", line: line)
        }
        func text(_ s: String) -> Data { Data(s.utf8) }
        try expect("/api/decode", text(#"{"z": [0, 0]}"#), 400, "holds 2 numbers; this run's latent space has 8")
        try expect("/api/decode", text(#"{"z": [0, 0, 0, 0, 0, 0, 0, "x"]}"#), 400, "z[7] is not a finite number")
        try expect("/api/decode", text(#"{"z": [0, 0, 0, 0, 0, 0, true, 0]}"#), 400, "z[6] is not a finite number")
        try expect("/api/decode", text(#"{"z": [0, 0, 0, 0, 0, 0, 0, null]}"#), 400, "z[7] is not a finite number")
        try expect(
            "/api/decode", text(#"{"z": [NaN, 0, 0, 0, 0, 0, 0, 0]}"#), 400,
            "NaN or Infinity, which are not JSON numbers")
        try expect("/api/decode", text(#"{"z": [-Infinity, 0, 0, 0, 0, 0, 0, 0]}"#), 400, "not JSON numbers")
        try expect("/api/decode", text(#"{"z": [1e999, 0, 0, 0, 0, 0, 0, 0]}"#), 400, "not a JSON object")
        try expect("/api/decode", text(#"{"z": [1e300, 0, 0, 0, 0, 0, 0, 0]}"#), 400, "z[0] = 1e+300 is outside ±10")
        try expect("/api/decode", text(#"{"z": "0,0"}"#), 400, "'z' must be a list of 8 numbers")
        try expect("/api/decode", text("[1, 2]"), 400, "not a JSON object")
        try expect("/api/decode", Data(), 400, "no body")
        try expect("/api/decode", Data(repeating: 0x20, count: 65 * 1024), 413, "over 64 KB")
        let ink = Data(repeating: 0, count: 28 * 28).base64EncodedString()
        try expect(
            "/api/restyle",
            try JSONSerialization.data(withJSONObject: ["width": 28, "height": 28, "ink": ink, "label": 10]), 400,
            "'label' must be a label 0-")
        try expect(
            "/api/restyle",
            try JSONSerialization.data(withJSONObject: ["width": 28, "height": 28, "ink": ink, "label": 2.5]), 400,
            "'label' must be a label 0-")
        try expect(
            "/api/restyle", try JSONSerialization.data(withJSONObject: ["width": 28, "height": 28, "ink": ink]), 400,
            "the drawing is empty"
        )
        try expect(
            "/api/restyle", try JSONSerialization.data(withJSONObject: ["width": 30, "height": 28, "ink": ink]), 400,
            "'ink' holds 784 bytes; a 30x28 drawing has 840")
        try expect(
            "/api/restyle", try JSONSerialization.data(withJSONObject: ["width": 10000, "height": 28, "ink": ink]), 400,
            "'width' and 'height' must be whole numbers of pixels from 28 to 512")
        // Numbers beyond Int's range (schemathesis found that these ended the server).
        try expect(
            "/api/restyle", text(#"{"width": 1e300, "height": 28, "ink": ""}"#), 400,
            "'width' and 'height' must be whole numbers")
        try expect(
            "/api/restyle", text(#"{"width": 28, "height": -9.3e18, "ink": ""}"#), 400,
            "'width' and 'height' must be whole numbers")
        try expect(
            "/api/restyle",
            try JSONSerialization.data(withJSONObject: ["width": 28, "height": 28, "ink": ink, "label": 1e300]), 400,
            "'label' must be a label 0-")
        try expect(
            "/api/restyle", try JSONSerialization.data(withJSONObject: ["width": 28, "height": 28, "ink": "!!"]), 400,
            "'ink' must be base64")
        let huge = Data(repeating: 255, count: 200 * 200).base64EncodedString()
        try expect(
            "/api/restyle", try JSONSerialization.data(withJSONObject: ["width": 200, "height": 200, "ink": huge]), 413,
            "over 64 KB")
        XCTAssertEqual(
            try server.json("POST", "/api/decode", ["z": [0, 0, 0, 0, 0, 0, 0, 0]]).status, 200,
            "still serving after all that")
    }

    func testNoFileOutsideTheRunFolder() throws {
        let run = try runWithShippedWeights(in: dir)
        try "secret".write(toFile: dir + "/outside.json", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: run + "/link.json", withDestinationPath: dir + "/outside.json")
        try FileManager.default.createSymbolicLink(
            atPath: run + "/inside.json", withDestinationPath: run + "/config.json")
        let server = try StudioServer(run: run)
        XCTAssertEqual(try server.request("GET", "/files/config.json").status, 200)
        XCTAssertEqual(try server.request("GET", "/files/inside.json").status, 200, "a link that stays inside is fine")
        for path in [
            "/files/../outside.json", "/files/%2e%2e/outside.json", "/files/%2E%2E/outside.json",
            "/files/report/%2e%2e/%2e%2e/outside.json",
            "/files/%2fetc%2fpasswd", "/files//etc/passwd", "/files/link.json", "/files/./config.json",
            "/files/checkpoint.safetensors",
            "/files/lock", "/files/", "/files/report", "/../outside.json"
        ] {
            let r = try server.request("GET", path)
            XCTAssertEqual(r.status, 404, "\(path) must not be served")
            XCTAssertFalse(String(decoding: r.body, as: UTF8.self).contains("secret"), path)
        }
        // Films are seeked by range.
        let whole = try server.request("GET", "/files/losses.csv")
        let part = try server.request("GET", "/files/losses.csv", headers: ["Range": "bytes=2-9"])
        XCTAssertEqual(part.status, 206)
        XCTAssertEqual(part.body, whole.body[2...9])
        XCTAssertEqual(part.headers["content-range"], "bytes 2-9/\(whole.body.count)")
        XCTAssertEqual(
            try server.request("GET", "/files/losses.csv", headers: ["Range": "bytes=-4"]).body, whole.body.suffix(4))
        XCTAssertEqual(try server.request("GET", "/files/losses.csv", headers: ["Range": "bytes=99999-"]).status, 416)
    }

    func testARunWithoutAModelAnswers503AndServesTheRest() throws {
        try requireMNIST()
        let run = dir + "/young"
        let train = try runCLI(
            [
                "train-and-record", "--run", run, "--iterations", "2", "--batch-size", "8", "--snapshot-every", "1",
                "--quiet"
            ], in: dir)
        XCTAssertEqual(train.status, 0, train.stderr)
        try FileManager.default.removeItem(atPath: run + "/checkpoint.safetensors")
        let server = try StudioServer(run: run)
        let none = try server.json("POST", "/api/decode", ["z": Array(repeating: 0, count: 8)])
        XCTAssertEqual(none.status, 503)
        XCTAssertTrue(none.error.contains("holds no checkpoint yet"), none.error)
        try Data("not a checkpoint at all".utf8).write(to: URL(fileURLWithPath: run + "/checkpoint.safetensors"))
        let damaged = try server.json("POST", "/api/decode", ["z": Array(repeating: 0, count: 8)])
        XCTAssertEqual(damaged.status, 503)
        XCTAssertTrue(damaged.error.contains("checkpoint.safetensors"), "names the file: \(damaged.error)")
        XCTAssertEqual(try server.request("GET", "/api/state").status, 200, "the rest is served")
        XCTAssertEqual(try server.request("GET", "/api/snapshot").status, 200)
        XCTAssertEqual(try server.request("GET", "/").status, 200)
    }

    /// Another address than loopback's usual one is said once, with the token it then needs
    /// (127.0.0.2 stands in for a network address: it is loopback too, so nothing leaves the machine).
    func testAnotherAddressIsSaid() throws {
        let server = try StudioServer(run: dir, host: "127.0.0.2")
        XCTAssertEqual(try server.request("GET", "/").status, 401, "a studio on the network needs its token")
        XCTAssertEqual(try server.request("GET", "/?token=" + (try XCTUnwrap(server.token))).status, 200)
        server.process.terminate()
        server.process.waitUntilExit()
        let said = String(decoding: server.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(
            said,
            "note: listening on 127.0.0.2: the studio is reachable from the network, and answers only requests "
                + "that carry the token in the address above\n")
    }

    func testAPortInUseIsNamed() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        listen(fd, 1)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let r = try runCLI(["serve", "--run", dir, "--port", "\(port)"], in: dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(
            r.stderr, "vaegan-render: error: port \(port) on 127.0.0.1 is in use; choose another with --port\n")
        let bad = try runCLI(["serve", "--run", dir, "--port", "70000"], in: dir)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("--port must be between 0 and 65535, got 70000"), bad.stderr)
        let noHost = try runCLI(["serve", "--run", dir, "--host", ""], in: dir)
        XCTAssertEqual(noHost.status, 1)
        XCTAssertTrue(noHost.stderr.contains("--host must name an address"), noHost.stderr)
        try Data().write(to: URL(fileURLWithPath: dir + "/file"))
        let file = try runCLI(["serve", "--run", dir + "/file", "--port", "0"], in: dir)
        XCTAssertEqual(file.status, 1)
        XCTAssertTrue(file.stderr.contains("--run names a file, not a run folder"), file.stderr)
    }

    /// 16 connections, 10,000 decode requests in all (each connection stops after 300 s at most):
    /// every answer is right, and the server's peak memory does not grow with the count.
    func testManyClientsAtOnce() throws {
        let run = try runWithShippedWeights(in: dir)
        let server = try StudioServer(run: run)
        let body = try JSONSerialization.data(withJSONObject: ["z": [0.1, 0.2, 0, 0, 0, 0, 0, 0]])
        let reference = try server.request(
            "POST", "/api/decode", body: body, headers: ["Content-Type": "application/json"]
        ).decoded(Answer.Decoded.self).digits
        /// What the 16 connections found, under one lock.
        final class Tally: @unchecked Sendable {
            let lock = NSLock()
            var errors: [String] = [], latencies: [Double] = [], issued = 0
            func next(upTo total: Int) -> Bool {
                lock.withLock {
                    issued += 1; return issued <= total
                }
            }
            func record(_ ms: Double?, _ error: String) {
                lock.withLock { if let ms { latencies.append(ms) } else { errors.append(error) } }
            }
        }
        func hammer(_ total: Int) -> (errors: [String], latencies: [Double], seconds: Double) {
            let tally = Tally()
            // A guard against a hang, not a bound on speed (scripts/studio_load.py measures that).
            let started = Date(), deadline = started.addingTimeInterval(1800), port = server.port
            DispatchQueue.concurrentPerform(iterations: 16) { _ in
                guard let connection = try? HTTPConnection(port: port) else { tally.record(nil, "connect"); return }
                while Date() < deadline, tally.next(upTo: total) {
                    let t0 = Date()
                    do {
                        let r = try connection.send(
                            "POST", "/api/decode", body: body, headers: ["Content-Type": "application/json"])
                        let ok = r.status == 200 && (try? r.decoded(Answer.Decoded.self).digits) == reference
                        tally.record(ok ? Date().timeIntervalSince(t0) * 1000 : nil, "status \(r.status)")
                    } catch { tally.record(nil, "\(error)") }
                }
            }
            return (tally.errors, tally.latencies, Date().timeIntervalSince(started))
        }
        _ = hammer(1_000)  // warm: the engine's buffers and the server's pools reach their size
        let before = server.peakRSS
        let (errors, latencies, seconds) = hammer(10_000)
        let after = server.peakRSS
        XCTAssertEqual(errors, [], "no request failed or drew something else")
        XCTAssertEqual(latencies.count, 10_000)
        XCTAssertLessThan(after - before, 64, "peak RSS \(before) MB before, \(after) MB after 10,000 more requests")
        let sorted = latencies.sorted()
        print(
            String(
                format:
                    "studio load: 16 connections, %d requests in %.1f s (%.0f/s), latency p50 %.1f ms, p99 %.1f ms; peak RSS %.0f MB -> %.0f MB",
                sorted.count, seconds, Double(sorted.count) / seconds, sorted[sorted.count / 2],
                sorted[sorted.count * 99 / 100], before,
                after))
    }
}
