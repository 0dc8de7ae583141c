import AtomicIO
import Foundation
import PNG

/// One picture file of a folder tree, as luminance in [0, 1]: PNG through the PNG room (libpng),
/// its size read from its header first, so that a hostile file cannot make the decoder allocate
/// gigabytes.
enum ImageFile {
    /// The largest side fitted into 28x28 (a photograph's, scaled down); larger is refused.
    static let maxSide = 4096

    static func luminance(path: String) throws -> (pixels: [Float], width: Int, height: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw FileError(path: path, "cannot be read") }
        let head = [UInt8](handle.readData(ofLength: 24))
        try? handle.close()
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard head.count == 24, head.prefix(8).elementsEqual(signature), head[12...15].elementsEqual(Array("IHDR".utf8))
        else { throw FileError(path: path, "is not a PNG image") }
        let be = { (i: Int) in Int(head[i]) << 24 | Int(head[i + 1]) << 16 | Int(head[i + 2]) << 8 | Int(head[i + 3]) }
        let width = be(16), height = be(20)
        guard (1...maxSide).contains(width), (1...maxSide).contains(height) else {
            throw FileError(path: path, "is \(width)x\(height) pixels; images up to \(maxSide) pixels a side are read")
        }
        let image: PNGImage
        do { image = try PNGImage(path: path, maxSide: maxSide) } catch {
            throw FileError(path: path, "is a damaged PNG image")
        }
        return (image.luminanceOnWhite(), image.width, image.height)
    }
}
