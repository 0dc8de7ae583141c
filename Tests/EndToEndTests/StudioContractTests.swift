import Foundation
import TestSupport
import XCTest

/// The live studio against its own OpenAPI document, fuzzed by schemathesis: no 5xx, every status,
/// content type, header and body as documented, 405 for undocumented methods. Bounded in examples
/// (25 an operation) and time (60 s). The event stream, which never ends by itself, is left out.
/// scripts/test.sh installs schemathesis and names it in
/// $VAEGAN_SCHEMATHESIS.
final class StudioContractTests: XCTestCase {
    func testTheServerKeepsToItsOpenAPIDocument() throws {
        let tool = ProcessInfo.processInfo.environment["VAEGAN_SCHEMATHESIS"] ?? ""
        try requireTool(
            !tool.isEmpty && FileManager.default.isExecutableFile(atPath: tool),
            "schemathesis (set VAEGAN_SCHEMATHESIS to its path)")
        let dir = try tempDir("studio-contract")
        let server = try StudioServer(run: try runWithShippedWeights(in: dir))
        let document = try server.request("GET", "/api/openapi.json")
        XCTAssertEqual(document.status, 200)
        XCTAssertEqual(try document.decoded(OpenAPIVersion.self).openapi, "3.0.3")

        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = [
            "run", server.address + "api/openapi.json", "--max-examples", "25", "--max-time", "60", "--workers", "1",
            "--request-timeout", "20", "--seed", "1", "--exclude-path", "/api/events", "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
                + "response_headers_conformance,unsupported_method"
        ]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "schemathesis found the server off its document:\n\(text.suffix(4000))")
        XCTAssertTrue(text.contains("passed"), text.suffix(2000).description)
        XCTAssertEqual(try server.request("GET", "/api/state").status, 200, "still serving")
    }
}

/// The OpenAPI document's version (the rest of it is the document's own; schemathesis reads it).
struct OpenAPIVersion: Decodable { let openapi: String }
