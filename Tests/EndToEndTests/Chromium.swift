import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Headless Chromium driven over the DevTools protocol on `--remote-debugging-pipe`: JSON messages
/// ending in a NUL byte, commands written to the browser's fd 3, replies and events read from its
/// fd 4. Enough to load a page, run scripts in it, collect what it logged and failed to load, and
/// take a screenshot. Every read has a deadline, so a stuck browser fails the test instead of
/// hanging it.
final class Chromium {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static let executable: String? = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].first { access($0, X_OK) == 0 }

    let pid: pid_t
    let toBrowser: Int32, fromBrowser: Int32
    let profile: String
    var buffer = [UInt8]()
    var nextID = 0
    /// Every event received so far, in order.
    private(set) var events: [[String: Any]] = []
    var session: String?

    /// `arguments` go to Chromium's command line after the harness's own (e.g. `--js-flags=...`).
    init(width: Int = 1280, height: Int = 900, arguments: [String] = []) throws {
        guard let executable = Self.executable else { throw Failure(description: "chromium is not installed") }
        profile = NSTemporaryDirectory() + "chromium-\(UUID().uuidString)"
        var commands: [Int32] = [0, 0], replies: [Int32] = [0, 0]
        guard pipe(&commands) == 0, pipe(&replies) == 0 else { throw Failure(description: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, commands[0], 3)
        posix_spawn_file_actions_adddup2(&actions, replies[1], 4)
        let devNull = Glibc.open("/dev/null", O_WRONLY)
        posix_spawn_file_actions_adddup2(&actions, devNull, 1)
        posix_spawn_file_actions_adddup2(&actions, devNull, 2)
        let args =
            [
                executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--user-data-dir=\(profile)", "--no-first-run", "--hide-scrollbars", "--mute-audio",
                "--autoplay-policy=no-user-gesture-required", "--window-size=\(width),\(height)"
            ] + arguments + ["about:blank"]
        var argv = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, &argv, environ)
        close(devNull); close(commands[0]); close(replies[1])
        guard status == 0 else {
            close(commands[1]); close(replies[0]); throw Failure(description: "cannot start \(executable): \(status)")
        }
        pid = child
        toBrowser = commands[1]
        fromBrowser = replies[0]
        let targets = try call("Target.getTargets", browserLevel: true)
        guard let infos = targets["targetInfos"] as? [[String: Any]],
            let page = infos.first(where: { $0["type"] as? String == "page" })?["targetId"] as? String
        else {
            throw Failure(description: "chromium opened no page")
        }
        let attached = try call("Target.attachToTarget", ["targetId": page, "flatten": true], browserLevel: true)
        session = attached["sessionId"] as? String
        for domain in ["Page", "Runtime", "Log", "Network"] { try call("\(domain).enable") }
    }

    deinit {
        _ = try? call("Browser.close", browserLevel: true, timeout: 5)
        close(toBrowser); close(fromBrowser)
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        try? FileManager.default.removeItem(atPath: profile)
    }

    /// Send a command and wait for its reply; returns the reply's `result`.
    @discardableResult
    func call(_ method: String, _ params: [String: Any] = [:], browserLevel: Bool = false, timeout: Double = 60) throws
        -> [String: Any]
    {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": params]
        if !browserLevel, let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "\(method): chromium closed its pipe") }
            sent += n
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let reply = try nextMessage(deadline: deadline, waitingFor: method)
            if reply["id"] as? Int == nextID {
                if let error = reply["error"] as? [String: Any] { throw Failure(description: "\(method): \(error)") }
                return reply["result"] as? [String: Any] ?? [:]
            }
            if reply["method"] != nil { events.append(reply) }
        }
    }

    func nextMessage(deadline: Date, waitingFor method: String) throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let json = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let object = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
                    continue
                }
                return object
            }
            var fds = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard left > 0, poll(&fds, 1, left) > 0 else {
                throw Failure(description: "\(method): no reply from chromium in time")
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = read(fromBrowser, &chunk, chunk.count)
            guard n > 0 else { throw Failure(description: "\(method): chromium closed its pipe") }
            buffer += chunk[..<n]
        }
    }

    /// Load a URL and wait for its load event.
    func open(_ url: String) throws {
        try call("Page.navigate", ["url": url])
        let deadline = Date().addingTimeInterval(60)
        while !events.contains(where: { $0["method"] as? String == "Page.loadEventFired" }) {
            events.append(try nextMessage(deadline: deadline, waitingFor: "Page.loadEventFired"))
        }
    }

    /// Evaluate a JavaScript expression in the page (a promise is awaited); its value as JSON.
    func evaluate(_ expression: String, timeout: Double = 60) throws -> Any? {
        let result = try call(
            "Runtime.evaluate", ["expression": expression, "awaitPromise": true, "returnByValue": true],
            timeout: timeout)
        if let exception = result["exceptionDetails"] as? [String: Any] {
            throw Failure(description: "script failed: \(exception)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// What went wrong while the page loaded and ran: console errors, uncaught exceptions, log
    /// entries at error level (Chromium logs failed loads there), failed requests (media requests
    /// the player cancels itself are not failures).
    var problems: [String] {
        events.compactMap { e -> String? in
            let params = e["params"] as? [String: Any] ?? [:]
            switch e["method"] as? String {
            case "Runtime.consoleAPICalled" where params["type"] as? String == "error":
                return "console.error: \(params["args"] ?? "")"
            case "Runtime.exceptionThrown":
                return "exception: \(params["exceptionDetails"] ?? "")"
            case "Log.entryAdded":
                let entry = params["entry"] as? [String: Any] ?? [:]
                return entry["level"] as? String == "error" ? "log: \(entry["text"] ?? "") \(entry["url"] ?? "")" : nil
            case "Network.loadingFailed" where params["canceled"] as? Bool != true:
                return "failed to load: \(params["errorText"] ?? "") (\(params["type"] ?? ""))"
            default:
                return nil
            }
        }
    }

    /// A PNG of the whole page, `width` CSS pixels wide. The viewport is made as tall as the page
    /// first: Chromium paints video frames only inside the viewport.
    func screenshot(width: Int = 1280) throws -> Data {
        let height = try evaluate("document.documentElement.scrollHeight") as? Int ?? 900
        try call(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false])
        _ = try evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 300)))")
        let shot = try call("Page.captureScreenshot", ["format": "png"])
        guard let text = shot["data"] as? String, let data = Data(base64Encoded: text) else {
            throw Failure(description: "no screenshot")
        }
        return data
    }
}
