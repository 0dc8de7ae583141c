import Studio
import XCTest

/// The studio's key: the one given, a random one off loopback, and what a key must be.
final class StudioTokenTests: XCTestCase {
    func testTheKeyByHost() throws {
        XCTAssertNil(LiveStudio.token(given: nil, host: "127.0.0.1"))
        XCTAssertNil(LiveStudio.token(given: nil, host: "LOCALHOST"))
        XCTAssertEqual(LiveStudio.token(given: "k", host: "0.0.0.0"), "k")
        let random = try XCTUnwrap(LiveStudio.token(given: nil, host: "0.0.0.0"))
        XCTAssertNil(LiveStudio.tokenProblem(random), "a random key is a valid one")
        XCTAssertNotEqual(random, LiveStudio.token(given: nil, host: "0.0.0.0"))
    }

    func testWhatAKeyMustBe() {
        XCTAssertNil(LiveStudio.tokenProblem("abcdefgh-ijkl_mn"))
        for bad in ["short", "abcdefgh ijklmnop", "abcdefgh/ijklmnop"] {
            XCTAssertEqual(LiveStudio.tokenProblem(bad), "--token must be at least 16 letters, digits, '-' or '_'", bad)
        }
    }
}
