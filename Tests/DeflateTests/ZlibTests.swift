import Deflate
import Foundation
import XCTest

/// The zlib wrapper against zlib's own outputs and the standard check values.
final class ZlibTests: XCTestCase {
    /// `zlib.compress(b"vaegan-render\n" * 10, 9)` from Python's zlib (1.2.13): a stream made
    /// by another program.
    static let pythonStream: [UInt8] = [
        120, 218, 43, 75, 76, 77, 79, 204, 211, 45, 74, 205, 75, 73, 45, 226, 42, 27, 80, 30, 0,
        77, 94, 51, 155
    ]
    static let text = Array(String(repeating: "vaegan-render\n", count: 10).utf8)

    func testInflatesAStreamZlibMadeAndDeflatesToTheSameBytes() throws {
        XCTAssertEqual(try Zlib.inflate(Self.pythonStream, limit: 1000), Self.text)
        XCTAssertEqual(Zlib.deflate(Self.text, level: 9), Self.pythonStream)
    }

    func testRoundTripAtEveryLevelAndSize() throws {
        var state: UInt32 = 1
        for size in [0, 1, 1000, 300_000] {
            // Half noise, half runs: something to compress and something not to.
            let bytes = (0..<size).map { i -> UInt8 in
                state = state &* 1_664_525 &+ 1_013_904_223
                return i % 2 == 0 ? UInt8(state >> 24) : UInt8(i / 512 % 256)
            }
            for level: Int32 in [0, 1, 6, 9] {
                XCTAssertEqual(
                    try Zlib.inflate(Zlib.deflate(bytes, level: level), limit: size), bytes,
                    "\(size) bytes at level \(level)")
            }
        }
    }

    func testGzipStreamsInflateToo() throws {
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-c", "-9"]
        let input = Pipe(), output = Pipe()
        gzip.standardInput = input; gzip.standardOutput = output
        try gzip.run()
        input.fileHandleForWriting.write(Data(Self.text))
        try input.fileHandleForWriting.close()
        let compressed = [UInt8](output.fileHandleForReading.readDataToEndOfFile())
        gzip.waitUntilExit()
        XCTAssertEqual(try Zlib.inflate(compressed, limit: 1000), Self.text)
    }

    func testHostileStreams() {
        XCTAssertThrowsError(try Zlib.inflate(Array(Self.pythonStream.dropLast(6)), limit: 1000)) {
            XCTAssertEqual($0 as? Zlib.Failure, .truncated)
        }
        XCTAssertThrowsError(try Zlib.inflate(Self.pythonStream, limit: 50)) {
            XCTAssertEqual($0 as? Zlib.Failure, .tooLarge(limit: 50))
        }
        var flipped = Self.pythonStream
        flipped[5] ^= 0xFF
        XCTAssertThrowsError(try Zlib.inflate(flipped, limit: 1000)) {
            guard case .corrupt = $0 as? Zlib.Failure else { return XCTFail("\($0)") }
        }
    }

    func testCRC32CheckValue() {
        XCTAssertEqual(Zlib.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(Zlib.crc32([]), 0)
    }
}
