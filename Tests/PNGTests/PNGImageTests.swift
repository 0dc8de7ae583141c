import Deflate
import Foundation
import PNG
import XCTest

/// PNG files of every colour type and bit depth, written here byte by byte from a formula, read
/// back by libpng: the decoded pixels are the formula's.
final class PNGImageTests: XCTestCase {
    /// A PNG file: IHDR, an optional palette and transparency chunk, one IDAT of `rows` (each row
    /// filter type 0, its samples packed as the bit depth packs them), IEND.
    static func png(
        width: Int, height: Int, depth: UInt8, colour: UInt8, rows: [[UInt8]], palette: [UInt8]? = nil,
        transparency: [UInt8]? = nil
    ) -> Data {
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + body
            return be(body.count) + typed + be(Int(Zlib.crc32(typed)))
        }
        func be(_ v: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8((v >> $0) & 0xFF) } }
        let header = be(width) + be(height) + [depth, colour, 0, 0, 0]
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header)
        if let palette { bytes += chunk("PLTE", palette) }
        if let transparency { bytes += chunk("tRNS", transparency) }
        bytes += chunk("IDAT", Zlib.deflate(rows.flatMap { [0] + $0 })) + chunk("IEND", [])
        return Data(bytes)
    }

    let (w, h) = (7, 5)
    func value(_ x: Int, _ y: Int) -> Int { (x * 37 + y * 11) % 256 }

    func decode(_ data: Data) throws -> PNGImage { try PNGImage(data: data, maxSide: 64) }

    func pixel(_ image: PNGImage, _ x: Int, _ y: Int) -> [UInt8] {
        Array(image.rgba[4 * (y * image.width + x)..<4 * (y * image.width + x) + 4])
    }

    func testEightBitGreyColourAndAlphaReadAsTheyAre() throws {
        let grey = try decode(
            Self.png(
                width: w, height: h, depth: 8, colour: 0,
                rows: (0..<h).map { y in (0..<w).map { UInt8(value($0, y)) } }))
        let rgb = try decode(
            Self.png(
                width: w, height: h, depth: 8, colour: 2,
                rows: (0..<h).map { y in (0..<w).flatMap { [UInt8(value($0, y)), UInt8(255 - value($0, y)), 9] } }))
        let rgba = try decode(
            Self.png(
                width: w, height: h, depth: 8, colour: 6,
                rows: (0..<h).map { y in (0..<w).flatMap { [200, 100, 50, UInt8(value($0, y))] } }))
        let greyAlpha = try decode(
            Self.png(
                width: w, height: h, depth: 8, colour: 4,
                rows: (0..<h).map { y in (0..<w).flatMap { [77, UInt8(value($0, y))] } }))
        for y in 0..<h {
            for x in 0..<w {
                let v = UInt8(value(x, y))
                XCTAssertEqual(pixel(grey, x, y), [v, v, v, 255])
                XCTAssertEqual(pixel(rgb, x, y), [v, 255 - v, 9, 255])
                XCTAssertEqual(pixel(rgba, x, y), [200, 100, 50, v], "straight alpha, the colour kept")
                XCTAssertEqual(pixel(greyAlpha, x, y), [77, 77, 77, v])
            }
        }
    }

    func testPackedGreyPalettesAndSixteenBitSamples() throws {
        // One bit a pixel: 0 black, 1 white; 7 pixels in the top bits of one byte.
        let bits = try decode(Self.png(width: 7, height: 1, depth: 1, colour: 0, rows: [[0b1010_1100]]))
        XCTAssertEqual((0..<7).map { pixel(bits, $0, 0)[0] }, [255, 0, 255, 0, 255, 255, 0])
        // Four bits a pixel into a palette of three colours, the second half transparent.
        let palette = try decode(
            Self.png(
                width: 4, height: 1, depth: 4, colour: 3, rows: [[0x01, 0x20]],
                palette: [10, 20, 30, 40, 50, 60, 70, 80, 90], transparency: [255, 128]))
        XCTAssertEqual(
            (0..<4).map { pixel(palette, $0, 0) },
            [[10, 20, 30, 255], [40, 50, 60, 128], [70, 80, 90, 255], [10, 20, 30, 255]])
        // Sixteen bits: each sample rounded to eight as it stands (s / 257), not as linear light.
        let samples = [0, 257, 1000, 32_896, 65_535, 12_345, 50_000]
        let wide = try decode(
            Self.png(
                width: 7, height: 1, depth: 16, colour: 0,
                rows: [samples.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }]))
        XCTAssertEqual(
            (0..<7).map { pixel(wide, $0, 0)[0] }, samples.map { UInt8((Double($0) / 257).rounded()) })
    }

    /// Transparent parts over white, as Cairo drew a loaded PNG onto a white surface.
    func testLuminanceOnWhite() throws {
        let image = try decode(
            Self.png(
                width: 3, height: 1, depth: 8, colour: 6, rows: [[0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128]]))
        XCTAssertEqual(image.rgb(onto: 255), [255, 255, 255, 0, 0, 0, 127, 127, 127])
        XCTAssertEqual(image.rgb(onto: 0), [0, 0, 0, 0, 0, 0, 0, 0, 0], "black ink on black")
        XCTAssertEqual(image.luminance(onto: 255)[0], 1, accuracy: 1e-6)
        XCTAssertEqual(image.luminance(onto: 255)[2], 127 / 255, accuracy: 1e-6)
    }

    func testBadFilesAreRefusedBeforeTheyAreDecoded() throws {
        let bomb = Self.png(width: 100_000, height: 100_000, depth: 8, colour: 0, rows: [[0]])
        XCTAssertThrowsError(try decode(bomb)) {
            XCTAssertEqual("\($0)", "is 100000x100000 pixels; images up to 64 pixels a side are read")
        }
        XCTAssertThrowsError(try decode(Data("not a png".utf8))) { XCTAssertEqual("\($0)", "is not a PNG image") }
        let whole = Self.png(
            width: w, height: h, depth: 8, colour: 0, rows: Array(repeating: [0, 1, 2, 3, 4, 5, 6], count: h))
        XCTAssertThrowsError(try decode(whole.prefix(whole.count - 30))) {
            XCTAssertEqual("\($0)", "is a damaged PNG image")
        }
    }
}
