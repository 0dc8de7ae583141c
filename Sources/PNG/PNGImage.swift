import CPNG
import Foundation

/// A PNG file decoded to 8-bit RGBA (straight alpha, row-major), by libpng's simplified API: every
/// colour type, bit depth, palette and transparency chunk, and interlacing. A 16-bit file's samples
/// are rounded to 8 bits as they stand (the simplified API would take them for linear light and
/// brighten them on the way to 8-bit sRGB). The size is read from the header before any pixel is,
/// so that a file claiming 100000x100000 pixels is refused before the decoder allocates for it.
public struct PNGImage: Sendable {
    public let width: Int, height: Int
    /// width x height x 4 bytes: red, green, blue, alpha.
    public let rgba: [UInt8]

    /// Why a file cannot be read as a PNG image (one phrase, for a line naming the file).
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Decode `data` (a whole PNG file), refusing images over `maxSide` pixels a side.
    public init(data: Data, maxSide: Int) throws {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let began = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard began != 0 else { throw Problem(description: "is not a PNG image") }
        let (w, h) = (Int(image.width), Int(image.height))
        guard (1...maxSide).contains(w), (1...maxSide).contains(h) else {
            throw Problem(description: "is \(w)x\(h) pixels; images up to \(maxSide) pixels a side are read")
        }
        var pixels = [UInt8](repeating: 0, count: w * h * 4)
        if image.format & png_uint_32(PNG_FORMAT_FLAG_LINEAR) != 0 {
            // 16 bits a sample: read them unchanged (linear in, linear out), alpha premultiplied.
            image.format = png_uint_32(PNG_FORMAT_FLAG_LINEAR | PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
            var wide = [UInt16](repeating: 0, count: w * h * 4)
            let finished = wide.withUnsafeMutableBytes {
                png_image_finish_read(&image, nil, $0.baseAddress, png_int_32(w * 4), nil)
            }
            guard finished != 0 else { throw Problem(description: "is a damaged PNG image") }
            for p in 0..<(w * h) {
                let a = Int(wide[4 * p + 3])
                for c in 0..<3 {
                    let straight = a == 0 ? 0 : (Int(wide[4 * p + c]) * 65535 + a / 2) / a
                    pixels[4 * p + c] = UInt8((min(straight, 65535) + 128) / 257)
                }
                pixels[4 * p + 3] = UInt8((a + 128) / 257)
            }
        } else {
            image.format = png_uint_32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
            let finished = pixels.withUnsafeMutableBytes {
                png_image_finish_read(&image, nil, $0.baseAddress, png_int_32(w * 4), nil)
            }
            guard finished != 0 else { throw Problem(description: "is a damaged PNG image") }
        }
        (width, height, rgba) = (w, h, pixels)
    }

    /// Read and decode the file at `path`.
    public init(path: String, maxSide: Int) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(description: "cannot be read")
        }
        try self.init(data: data, maxSide: maxSide)
    }

    /// Each pixel composited onto a grey `background` (255: white) as Cairo draws a picture onto
    /// a 24-bit surface of that grey: the colour premultiplied by its alpha plus the background
    /// times the rest, each product rounded as pixman rounds it. An opaque pixel keeps its colour.
    /// width x height x 3 bytes, R, G, B.
    public func rgb(onto background: UInt8 = 255) -> [UInt8] {
        // (a * c) / 255, rounded: pixman's MUL_UN8.
        func mul(_ a: Int, _ c: Int) -> Int {
            let t = a * c + 0x80
            return ((t >> 8) + t) >> 8
        }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for p in 0..<(width * height) {
            let a = Int(rgba[4 * p + 3])
            for c in 0..<3 {
                out[3 * p + c] = UInt8(min(255, mul(a, Int(rgba[4 * p + c])) + mul(Int(background), 255 - a)))
            }
        }
        return out
    }

    /// `rgb(onto:)` as luminance in [0, 1]: 0.2126 R + 0.7152 G + 0.0722 B.
    public func luminance(onto background: UInt8 = 255) -> [Float] { Self.luminance(rgb: rgb(onto: background)) }

    /// R, G, B bytes (as `rgb(onto:)` gives them) as luminance in [0, 1].
    public static func luminance(rgb: [UInt8]) -> [Float] {
        (0..<(rgb.count / 3)).map { p in
            (0.2126 * Float(rgb[3 * p]) + 0.7152 * Float(rgb[3 * p + 1]) + 0.0722 * Float(rgb[3 * p + 2])) / 255
        }
    }
}
