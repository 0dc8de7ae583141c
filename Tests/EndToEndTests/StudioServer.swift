import Foundation
import RunFolder
import RunModel
import Studio
import TestSupport
import Training
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A real `vaegan-render serve` on 127.0.0.1 and a free port (the server picks it: --port 0, and
/// prints the address), stopped when the value goes away.
final class StudioServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    let host: String
    /// What the server printed on stderr (read when it has stopped).
    let errors = Pipe()
    var address: String { "http://\(host):\(port)/" }

    /// `serve --run run`, or with `run` nil, `serve` with no --run in the folder `directory`.
    init(run: String?, host: String = "127.0.0.1", directory: String? = nil, extra: [String] = []) throws {
        self.host = host
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        process.arguments =
            ["serve", "--port", "0"] + (run.map { ["--run", $0] } ?? []) + (host == "127.0.0.1" ? [] : ["--host", host])
            + extra
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        // The first line on stdout names the address; wait for it at most 60 s.
        let deadline = Date().addingTimeInterval(60)
        var text = ""
        let fd = out.fileHandleForReading.fileDescriptor
        while !text.contains("\n") {
            var fds = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard left > 0, poll(&fds, 1, left) > 0 else {
                process.terminate(); throw ServerTestFailure(description: "serve printed no address in 60 s")
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(fd, &chunk, chunk.count)
            guard n > 0 else { throw ServerTestFailure(description: "serve exited before listening: \(text)") }
            text += String(decoding: chunk[..<n], as: UTF8.self)
        }
        let prefix = "http://\(host):"
        guard
            let range = text.range(
                of: NSRegularExpression.escapedPattern(for: prefix) + #"(\d+)/"#, options: .regularExpression),
            let port = Int(text[range].dropFirst(prefix.count).dropLast())
        else {
            process.terminate()
            throw ServerTestFailure(description: "serve printed no address: \(text)")
        }
        self.port = port
        token = text.range(of: #"\?token=[0-9a-f]+"#, options: .regularExpression).map {
            String(text[$0].dropFirst("?token=".count))
        }
    }

    /// The token in the address serve printed (a studio on the network has one).
    private(set) var token: String?

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Peak resident memory of the server so far (VmHWM), in MB.
    var peakRSS: Double {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
    }

    func request(_ method: String, _ path: String, body: Data = Data(), headers: [String: String] = [:]) throws
        -> HTTPReply
    {
        let connection = try HTTPConnection(port: port, host: host)
        return try connection.send(method, path, body: body, headers: headers, close: true)
    }

    func json(_ method: String, _ path: String, _ object: Any) throws -> HTTPReply {
        try request(
            method, path, body: try JSONSerialization.data(withJSONObject: object),
            headers: ["Content-Type": "application/json"])
    }
}

struct ServerTestFailure: Error, CustomStringConvertible { let description: String }

struct HTTPReply {
    let status: Int
    let headers: [String: String]
    let body: Data
    /// The body as one of the studio's answers.
    func decoded<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
    var error: String {
        (try? decoded(Answer.Failure.self).error)
            ?? "(no error field: \(String(decoding: body.prefix(200), as: UTF8.self)))"
    }
}

/// One HTTP/1.1 connection over a plain socket: the request goes out byte for byte as written
/// (paths are not normalised, as a browser's or URLSession's would be), every read has a deadline.
final class HTTPConnection {
    let fd: Int32
    var pending = [UInt8]()
    /// What the Host header says unless a request gives its own: the address, as a browser sends it.
    let hostHeader: String

    init(port: Int, host: String = "127.0.0.1") throws {
        hostHeader = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr(host)
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard ok == 0 else { close(fd); throw ServerTestFailure(description: "cannot connect to port \(port)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Send bytes as they are (half a request, say).
    func sendRaw(_ text: String) throws {
        let bytes = [UInt8](text.utf8)
        let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard n == bytes.count else { throw ServerTestFailure(description: "could not send") }
    }

    /// Read until `marker` has arrived (true), the peer closes or `seconds` pass (false); what was
    /// read up to the marker is consumed.
    func receive(until marker: String, within seconds: Double) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds), m = [UInt8](marker.utf8)
        while true {
            if let at = pending.indices.dropLast(max(0, m.count - 1)).first(where: {
                pending[$0..<$0 + m.count].elementsEqual(m)
            }) {
                pending.removeFirst(at + m.count)
                return true
            }
            var fds = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard left > 0, poll(&fds, 1, left) > 0 else { return false }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = recv(fd, &chunk, chunk.count, 0)
            guard n > 0 else { return false }
            pending += chunk[..<n]
        }
    }

    /// Whether the server closes this connection within `seconds` (reads reach end of file).
    func isClosedByPeer(within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            var fds = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard left > 0, poll(&fds, 1, left) > 0 else { return false }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return true }
        }
    }

    func send(
        _ method: String, _ path: String, body: Data = Data(), headers: [String: String] = [:], close: Bool = false,
        timeout: Double = 30
    ) throws -> HTTPReply {
        var head = "\(method) \(path) HTTP/1.1\r\nContent-Length: \(body.count)\r\n"
        if !headers.keys.contains(where: { $0.lowercased() == "host" }) { head += "Host: \(hostHeader)\r\n" }
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if close { head += "Connection: close\r\n" }
        let bytes = [UInt8]((head + "\r\n").utf8) + [UInt8](body)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else {
                throw ServerTestFailure(description: "the server closed the connection while \(path) was sent")
            }
            sent += n
        }
        let deadline = Date().addingTimeInterval(timeout)
        func fill() throws {
            var fds = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard left > 0, poll(&fds, 1, left) > 0 else {
                throw ServerTestFailure(description: "no reply to \(method) \(path) in \(timeout) s")
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = recv(fd, &chunk, chunk.count, 0)
            guard n > 0 else {
                throw ServerTestFailure(description: "the server closed the connection before answering \(path)")
            }
            pending += chunk[..<n]
        }
        let separator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            end = pending.indices.dropLast(3).first { pending[$0..<$0 + 4].elementsEqual(separator) }
            if end == nil { try fill() }
        }
        let headText = String(decoding: pending[..<end!], as: UTF8.self)
        pending.removeSubrange(..<(end! + 4))
        let lines = headText.components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(fields["content-length"] ?? "0") ?? 0
        while pending.count < length { try fill() }
        let reply = HTTPReply(status: status, headers: fields, body: Data(pending.prefix(length)))
        pending.removeFirst(length)
        return reply
    }
}

/// The shipped article model (the figure run's weights): digits that read.
let shippedWeightsPath = ArticleModel.path
/// Their iteration, as they record it.
var shippedWeightsIteration: Int? {
    (try? SafeTensors.read(path: shippedWeightsPath))?.metadata["iteration"].flatMap { Int($0) }
}

/// A run folder that holds a tiny run's files and, as its checkpoint at the run's iteration 3,
/// the article model's shipped weights, for the studio's readability checks.
func runWithShippedWeights(in dir: String) throws -> String {
    try requireMNIST()
    let run = dir + "/shipped"
    let train = try runCLI(
        [
            "train-and-record", "--run", run, "--iterations", "3", "--batch-size", "8", "--snapshot-every", "1",
            "--quiet"
        ], in: dir)
    XCTAssertEqual(train.status, 0, train.stderr)
    let weights = try SafeTensors.read(path: shippedWeightsPath)
    try SafeTensors.write(
        weights.arrays,
        metadata: [
            "format": CheckpointFile.format, "iteration": "3",
            "model.kind": "cvae-gan", "model.latent_dim": weights.metadata["model.latent_dim"] ?? "8"
        ],
        to: run + "/checkpoint.safetensors")
    return run
}
