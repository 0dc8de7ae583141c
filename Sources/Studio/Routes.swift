import Browser
import Datasets
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RunFolder
import VAEGAN

extension LiveStudio {
    /// The page, for digits and manifold grids as the API sends them.
    static let page = StudioPage.html(digitSide: Digit.side, gridSide: Inference.gridCells * Digit.side)

    func routes(_ router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in
            Self.response(.ok, type: "text/html; charset=utf-8", ByteBuffer(string: Self.page))
        }
        router.get("/api/openapi.json") { [view] _, _ in
            let latent = await view.onFiles { $0.latentDim }
            return Self.response(
                .ok, type: "application/json", ByteBuffer(string: OpenAPIDocument.json(latentDim: latent)))
        }
        router.get("/api/state") { [view] _, _ in
            Self.response(.ok, type: "application/json", ByteBuffer(bytes: await view.onFiles { $0.state() }))
        }
        router.get("/api/events") { [events] _, _ in
            guard let stream = events.subscribe() else {
                return Self.error(
                    .serviceUnavailable,
                    "\(events.capacity) event streams are open, the most the studio keeps; close one and try again")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    for await event in stream {
                        switch event {
                        case .state(let json):
                            try await writer.write(
                                ByteBuffer(
                                    string: "event: state\ndata: " + String(decoding: json, as: UTF8.self) + "\n\n"))
                        case .keepAlive: try await writer.write(ByteBuffer(string: ": still here\n\n"))
                        }
                    }
                    try await writer.finish(nil)
                })
        }
        router.get("/api/snapshot") { [view] _, _ in
            guard let s = await view.onFiles({ $0.latestSnapshot() }) else {
                return Self.error(.notFound, "the run holds no snapshot yet")
            }
            var response = Self.response(
                .ok, type: "application/octet-stream", ByteBuffer(bytes: s.grids.flatMap { $0 }))
            response.headers[HTTPField.Name("X-Iteration")!] = "\(s.iteration)"
            response.headers[HTTPField.Name("X-Grid-Size")!] = "\(s.gridSize)"
            response.headers[HTTPField.Name("X-Channels")!] = "\(s.channels)"
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
                return Answer.Decoded(
                    iteration: iteration, digits: digits.map { Data($0).base64EncodedString() },
                    serverMs: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6)
            }
        }
        router.post("/api/restyle") { [host] request, _ in
            await Self.answer(request) { body in
                let drawing = try Requests.drawing(body)
                // Checked before the drawing is prepared, so a wrong label is the answer, not its drawing.
                if drawing.label != nil {
                    let classes = try await host.withModel { model, _ in model.inference.config.data.classes.count }
                    try Requests.check(label: drawing.label, classes: classes)
                }
                let digit: [Float]
                do {
                    digit = try DigitPreparation.prepare(ink: drawing.ink, width: drawing.width, height: drawing.height)
                } catch {
                    throw Requests.Invalid(description: "\(error)")
                }
                let label = drawing.label
                let (iteration, r) = try await host.withModel { model, classifier in
                    (model.iteration, try Drawing.restyle(model, classifier: classifier, digit: digit, label: label))
                }
                return Answer.Restyled(iteration: iteration, seen: digit, r)
            }
        }
        router.post("/api/restyle-image") { [host] request, _ in
            await Self.answer(request) { body in
                let picture = try Requests.picture(body)
                let (iteration, r) = try await host.withModel { model, classifier in
                    let data = model.inference.config.data
                    guard picture.side == data.side, picture.channels == data.channels else {
                        throw Requests.Invalid(
                            description:
                                "the image is \(DataDescription.shapeText(rows: picture.side, columns: picture.side, channels: picture.channels)); this run's model takes \(data.shapeText) images"
                        )
                    }
                    return (
                        model.iteration,
                        try Drawing.restyle(model, classifier: classifier, digit: picture.image, label: picture.label)
                    )
                }
                return Answer.Restyled(iteration: iteration, seen: picture.image, r)
            }
        }
        router.get("/files/**") { [view] request, _ in
            let prefix = "/files/"
            let raw = request.uri.path.dropFirst(prefix.count)
            let root = view.dir.path
            guard request.uri.path.hasPrefix(prefix),
                let path = await view.onFiles({ _ in RunFiles.resolve(root: root, rawPath: raw) })
            else {
                return Self.error(.notFound, "no such file in the run folder")
            }
            if path == RunFiles.realPath(view.dir.configPath) {
                guard let config = await view.onFiles({ $0.servedConfig() }) else {
                    return Self.error(.notFound, "config.json cannot be read as a run's settings")
                }
                return Self.bytes(config, range: request.headers[.range], type: RunFiles.contentType(of: path))
            }
            return await Self.file(path, range: request.headers[.range], view: view)
        }
    }

    /// Run an API handler on the request's body and answer JSON: its result with 200, or the one
    /// line of what went wrong with 400 (bad input), 413 (too large) or 503 (no model to draw with).
    static func answer<T: Encodable>(_ request: Request, _ handler: (Data) async throws -> T) async -> Response {
        let body: Data
        do { body = Data(buffer: try await request.body.collect(upTo: Requests.bodyLimit)) } catch {
            return Self.error(.contentTooLarge, "the body is over \(Requests.bodyLimit / 1024) KB")
        }
        do {
            let out = try await handler(body)
            return response(.ok, type: "application/json", ByteBuffer(bytes: Answer.json(out)))
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
        response(status, type: "application/json", ByteBuffer(bytes: Answer.json(Answer.Failure(error: message))))
    }

    /// The head of an answer that holds `size` bytes, or the part of them a Range header asks
    /// for: the status, Content-Range, Content-Type and Accept-Ranges, and which bytes the body
    /// is to hold; or the 416 for a range outside them (and no part).
    static func head(size: Int, range: String?, type: String) -> (response: Response, part: Range<Int>?) {
        var r = Response(status: .ok)
        let part: Range<Int>
        switch RunFiles.byteRange(range, size: size) {
        case .whole:
            part = 0..<size
        case .part(let p):
            part = p
            r.status = .partialContent
            r.headers[.contentRange] = "bytes \(p.lowerBound)-\(p.upperBound - 1)/\(size)"
        case .unsatisfiable:
            var r = error(.rangeNotSatisfiable, "the range is outside the file")
            r.headers[.contentRange] = "bytes */\(size)"
            return (r, nil)
        }
        r.headers[.contentType] = type
        r.headers[.acceptRanges] = "bytes"
        r.headers[.cacheControl] = "no-cache"
        return (r, part)
    }

    /// Bytes made here (config.json as served), whole or the part a Range header asks for.
    static func bytes(_ data: Data, range: String?, type: String) -> Response {
        let (answer, part) = head(size: data.count, range: range, type: type)
        guard let part else { return answer }
        var r = answer
        r.body = ResponseBody(byteBuffer: ByteBuffer(bytes: data[part]))
        return r
    }

    /// A file, or the part of it a Range header asks for (films are seeked that way), read on
    /// the file queue in chunks of at most 256 KB as the client takes them.
    static func file(_ path: String, range: String?, view: RunView) async -> Response {
        guard let handle = FileHandle(forReadingAtPath: path), let size = try? Int(handle.seekToEnd()) else {
            return error(.notFound, "no such file in the run folder")
        }
        let (answer, asked) = head(size: size, range: range, type: RunFiles.contentType(of: path))
        guard let part = asked else {
            try? handle.close()
            return answer
        }
        var r = answer
        let reader = ChunkReader(handle: handle)
        r.body = ResponseBody(contentLength: part.count) { writer in
            defer { reader.close() }
            var at = part.lowerBound
            while at < part.upperBound {
                let n = min(256 << 10, part.upperBound - at), from = at
                let chunk = await view.onFiles { _ in reader.read(at: from, count: n) }
                guard !chunk.isEmpty else { break }  // the file shrank under us: end the body here
                try await writer.write(ByteBuffer(bytes: chunk))
                at += chunk.count
            }
            try await writer.finish(nil)
        }
        return r
    }

    /// A file handle read from the file queue only.
    final class ChunkReader: @unchecked Sendable {
        let handle: FileHandle
        init(handle: FileHandle) { self.handle = handle }
        func read(at offset: Int, count: Int) -> Data {
            (try? handle.seek(toOffset: UInt64(offset))).flatMap { try? handle.read(upToCount: count) } ?? Data()
        }
        func close() { try? handle.close() }
    }
}
