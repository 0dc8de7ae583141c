import AtomicIO
import Datasets
import Foundation
import PNG

#if canImport(Glibc)
    import Glibc
#endif

/// One picture file of a folder tree, as luminance and colour in [0, 1]: PNG through the PNG room
/// (libpng), its size read from its header first, so that a hostile file cannot make the decoder
/// allocate gigabytes.
package enum ImageFile {
    /// The largest side fitted into a set's square (a photograph's, scaled down); larger is refused.
    static let maxSide = 4096

    /// The PNG at `path`. A transparent one is laid on the background that keeps its ink, told by
    /// its opaque pixels: black where they are light (light ink on nothing, which white would
    /// erase), white otherwise; and kept on the other too, for a set whose opaque pictures say
    /// what its background is.
    static func read(path: String) throws -> SourceImage {
        try Entry.requireRegularFile(path)
        let head: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            head = [UInt8](try handle.read(upToCount: 24) ?? Data())
        } catch { throw FileError(path: path, "cannot be read") }
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
        // Each background's colours once; the luminance is read from them.
        let overWhite = image.rgb(onto: 255), overBlack = image.rgb(onto: 0)
        let white = PNGImage.luminance(rgb: overWhite), black = PNGImage.luminance(rgb: overBlack)
        let onBlack = inkNeedsBlack(overWhite: white, overBlack: black)
        let laid = (grey: onBlack ? black : white, rgb: (onBlack ? overBlack : overWhite).map(DigitSet.pixel))
        var read = SourceImage(width: image.width, height: image.height, grey: laid.grey, rgb: laid.rgb)
        if white != black {
            let other = (grey: onBlack ? white : black, rgb: (onBlack ? overWhite : overBlack).map(DigitSet.pixel))
            read.transparency = SourceImage.Transparency(onBlack: onBlack, other: other)
        }
        return read
    }

    /// The PNG at `path` as one image of a set `side` pixels square of `channels` channels, fitted
    /// as a set that decided `fitting` fitted its pictures: laid on the set's background (or its
    /// own, where the set chose none), fitted by `Letterbox` where it is not already that size, and
    /// inverted (1 − v) after, where the set was. What the pages' fitPicture
    /// (Sources/Browser/Page/explore.js) computes in the browser, and the tests hold it to.
    package static func fitted(
        path: String, side: Int, channels: Int, fitting: PictureFitting = .unrecorded
    ) throws -> [Float] {
        var image = try read(path: path)
        if let black = fitting.onBlack { image = image.laid(onBlack: black) }
        let fitted = Letterbox.fit(
            image.values(channels: channels), width: image.width, height: image.height, channels: channels, side: side)
        return fitting.inverted ? fitted.map { 1 - $0 } : fitted
    }

    /// Of one image laid on white and on black, whether black keeps its ink. Laid on white a
    /// pixel is c·a + 1 − a, on black c·a (c its colour, a its opacity): the two differ by 1 − a.
    /// Where every pixel is opaque they are the same (white is kept); otherwise the opaque pixels'
    /// mean colour tells the ink: light ink goes on black.
    static func inkNeedsBlack(overWhite white: [Float], overBlack black: [Float]) -> Bool {
        var colour: Float = 0, opaque: Float = 0, transparent = false
        for (w, b) in zip(white, black) {
            let alpha = 1 - (w - b)
            if alpha < 0.99 { transparent = true }
            if alpha > 0.5 {
                colour += b / alpha
                opaque += 1
            }
        }
        guard transparent, opaque > 0 else { return false }
        return colour / opaque > 0.5
    }
}

/// What an entry of a data folder is, told by its metadata without opening it: only regular
/// files are read (a FIFO would wait forever, a device could be endless).
enum Entry {
    /// The entries of `folder` by name, hidden ones (a leading dot) left out, sorted.
    static func visibleNames(in folder: String) throws -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw FileError(path: folder, "cannot be read")
        }
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    enum Kind: Equatable { case file, folder, other(String), missing }

    /// What `path` is (a symbolic link followed).
    static func kind(_ path: String) -> Kind {
        var s = stat()
        guard stat(path, &s) == 0 else { return .missing }
        switch s.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFIFO: return .other("a FIFO (named pipe)")
        case S_IFSOCK: return .other("a socket")
        case S_IFCHR, S_IFBLK: return .other("a device")
        default: return .other("not a regular file")
        }
    }

    /// Throws, naming what `path` is, unless it is a regular file.
    static func requireRegularFile(_ path: String) throws {
        switch kind(path) {
        case .file: return
        case .folder: throw FileError(path: path, "is a folder, not a file")
        case .missing: throw FileError(path: path, "cannot be read")
        case .other(let what): throw FileError(path: path, "is \(what), not a file; only regular files are read")
        }
    }
}
