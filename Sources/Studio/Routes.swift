import Foundation
import HTTPTypes
import Hummingbird
import MNIST
import NIOCore
import RunFolder

extension Studio {
    func routes(_ router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in
            Self.response(.ok, type: "text/html; charset=utf-8", ByteBuffer(string: StudioPage.html))
        }
        router.get("/api/state") { [view] _, _ in
            Self.response(.ok, type: "application/json", ByteBuffer(bytes: view.state()))
        }
        router.get("/api/events") { [view] _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                try await Self.pushState(view, to: &writer)
            })
        }
        router.get("/api/snapshot") { [view] _, _ in
            guard let s = view.latestSnapshot() else { return Self.error(.notFound, "the run holds no snapshot yet") }
            var response = Self.response(.ok, type: "application/octet-stream", ByteBuffer(bytes: s.grids.flatMap { $0 }))
            response.headers[HTTPField.Name("X-Iteration")!] = "\(s.iteration)"
            response.headers[HTTPField.Name("X-Grid-Size")!] = "\(s.gridSize)"
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.post("/api/decode") { [host] request, _ in
            await Self.answer(request) { body in
                let started = DispatchTime.now()
                let (iteration, digits) = try await host.withModel { model, _ in
                    let z = try Requests.latent(body, dimension: model.inference.config.latentDim)
                    return (model.iteration, Drawing.decodeAllLabels(model, z: z))
                }
                return ["iteration": iteration, "digits": digits.map { Data($0).base64EncodedString() },
                        "serverMs": Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6]
            }
        }
        router.post("/api/restyle") { [host] request, _ in
            await Self.answer(request) { body in
                let drawing = try Requests.drawing(body)
                let digit: [Float]
                do { digit = try DigitPreparation.prepare(ink: drawing.ink, width: drawing.width, height: drawing.height) } catch {
                    throw Requests.Invalid(description: "\(error)")
                }
                let label = drawing.label
                let (iteration, r) = try await host.withModel { model, classifier in
                    (model.iteration, try Drawing.restyle(model, classifier: classifier, digit: digit, label: label))
                }
                var out: [String: Any] = ["iteration": iteration, "label": r.label,
                                          "digit": Data(digit.map(Snapshot.quantise)).base64EncodedString(),
                                          "digits": r.digits.map { Data($0).base64EncodedString() }]
                if let p = r.probabilities {
                    out["probabilities"] = p.map(Double.init)
                    out["guess"] = p.indices.max { p[$0] < p[$1] }!
                }
                return out
            }
        }
        router.get("/files/**") { [view] request, _ in
            let prefix = "/files/"
            let raw = request.uri.path.dropFirst(prefix.count)
            guard request.uri.path.hasPrefix(prefix), let path = RunFiles.resolve(root: view.dir.path, rawPath: raw) else {
                return Self.error(.notFound, "no such file in the run folder")
            }
            return Self.file(path, range: request.headers[.range])
        }
    }

    /// Send the state now and again whenever a file of the run changes (looked at four times a
    /// second), with a comment every 10 s so that a closed connection is noticed.
    static func pushState(_ view: RunView, to writer: inout any ResponseBodyWriter) async throws {
        var last = "", idle = 0
        while !Task.isCancelled {
            let key = view.fingerprint()
            if key != last {
                last = key
                try await writer.write(ByteBuffer(string: "event: state\ndata: " + String(decoding: view.state(), as: UTF8.self) + "\n\n"))
                idle = 0
            } else if idle >= 40 {
                try await writer.write(ByteBuffer(string: ": still here\n\n"))
                idle = 0
            }
            try await Task.sleep(nanoseconds: 250_000_000)
            idle += 1
        }
        try await writer.finish(nil)
    }

    /// Run an API handler on the request's body and answer JSON: its result with 200, or the one
    /// line of what went wrong with 400 (bad input), 413 (too large) or 503 (no model to draw with).
    static func answer(_ request: Request, _ handler: (Data) async throws -> [String: Any]) async -> Response {
        let body: Data
        do { body = Data(buffer: try await request.body.collect(upTo: Requests.bodyLimit)) } catch {
            return Self.error(.contentTooLarge, "the body is over \(Requests.bodyLimit / 1024) KB")
        }
        do {
            let out = try await handler(body)
            return response(.ok, type: "application/json", ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])))
        } catch let e as Requests.Invalid {
            return error(.badRequest, e.description)
        } catch let e as ModelHost.Unavailable {
            return error(.serviceUnavailable, e.description)
        } catch {
            return Self.error(.serviceUnavailable, "\(error)")
        }
    }

    static func response(_ status: HTTPResponse.Status, type: String, _ body: ByteBuffer) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// `{"error": "..."}`.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let json = (try? JSONSerialization.data(withJSONObject: ["error": message])) ?? Data()
        return response(status, type: "application/json", ByteBuffer(bytes: json))
    }

    /// A file, or the part of it a Range header asks for (films are seeked that way).
    static func file(_ path: String, range: String?) -> Response {
        guard let data = FileManager.default.contents(atPath: path) else { return error(.notFound, "no such file in the run folder") }
        var r: Response
        switch RunFiles.byteRange(range, size: data.count) {
        case .whole:
            r = response(.ok, type: RunFiles.contentType(of: path), ByteBuffer(bytes: data))
        case .part(let part):
            r = response(.partialContent, type: RunFiles.contentType(of: path), ByteBuffer(bytes: data[part]))
            r.headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound - 1)/\(data.count)"
        case .unsatisfiable:
            r = error(.rangeNotSatisfiable, "the range is outside the file")
            r.headers[.contentRange] = "bytes */\(data.count)"
        }
        r.headers[.acceptRanges] = "bytes"
        r.headers[.cacheControl] = "no-cache"
        return r
    }
}
