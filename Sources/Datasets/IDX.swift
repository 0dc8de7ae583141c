import AtomicIO
import Deflate
import Foundation

/// A problem with a dataset file, naming the file and what is wrong with it.
public typealias DatasetError = FileError

/// Reader of the IDX format of MNIST and Fashion-MNIST, plain or gzipped.
///
/// An IDX file is a big-endian header — two zero bytes, a type code (0x08 = unsigned byte), the
/// number of dimensions — then one 32-bit size per dimension, then the data. Every size is checked
/// against the file's real length before anything is allocated from it.
public enum IDX {
    /// Image files: magic 0x00000803, dimensions (count, rows, columns).
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// Colour image files (how the program keeps a colour set): magic 0x00000804, dimensions
    /// (count, rows, columns, 3), each pixel's red, green and blue bytes together.
    public static let colourImagesMagic: UInt32 = 0x0000_0804
    /// Label files: magic 0x00000801, one dimension (count).
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// The images of an image file: `count` images of rows x columns x channels bytes.
    public typealias Images = (count: Int, rows: Int, columns: Int, channels: Int, pixels: [UInt8])

    /// Read an image file: grey (three dimensions) or colour (four, the last 3).
    public static func readImages(path: String) throws -> Images {
        try images(from: try load(path: path), path: path)
    }

    /// Parse image-file bytes (already inflated); `path` names them in errors.
    public static func images(from bytes: [UInt8], path: String) throws -> Images {
        let colour = bytes.count >= 4 && word(bytes, 0) == colourImagesMagic
        let dims = try header(
            bytes, expectedMagic: colour ? colourImagesMagic : imagesMagic, dimensions: colour ? 4 : 3, kind: "image",
            path: path)
        guard dims[1] > 0, dims[2] > 0, dims[1] <= 4096, dims[2] <= 4096 else {
            throw DatasetError(path: path, "implausible image size \(dims[1])x\(dims[2])")
        }
        let channels = colour ? dims[3] : 1
        guard channels == 1 || channels == 3 else {
            throw DatasetError(path: path, "holds images of \(channels) channels; colour images have 3")
        }
        let pixels = Array(bytes[(colour ? 20 : 16)...])
        return (dims[0], dims[1], dims[2], channels, pixels)
    }

    /// Read a label file; every label must be 0...9.
    public static func readLabels(path: String) throws -> [UInt8] {
        try labels(from: try load(path: path), path: path)
    }

    /// Parse label-file bytes (already inflated); `path` names them in errors.
    public static func labels(from bytes: [UInt8], path: String) throws -> [UInt8] {
        _ = try header(bytes, expectedMagic: labelsMagic, dimensions: 1, kind: "label", path: path)
        let labels = Array(bytes[8...])
        // Up to 64 classes (one's own sets, kept as IDX); a run checks the labels against its model's.
        let last = ClassNames.counts.upperBound - 1
        if let bad = labels.firstIndex(where: { Int($0) > last }) {
            throw DatasetError(path: path, "label \(labels[bad]) at index \(bad) is outside 0..\(last)")
        }
        return labels
    }

    /// Checks magic and sizes; returns the dimensions.
    static func header(_ b: [UInt8], expectedMagic: UInt32, dimensions n: Int, kind: String, path: String) throws
        -> [Int]
    {
        let headerSize = 4 + 4 * n
        guard b.count >= headerSize else {
            throw DatasetError(path: path, "too short for an IDX \(kind) header (\(b.count) bytes, need \(headerSize))")
        }
        let magic = word(b, 0)
        guard magic == expectedMagic else {
            let hint =
                magic == labelsMagic || magic == imagesMagic
                ? " (is this the \(kind == "image" ? "label" : "image") file?)" : ""
            throw DatasetError(
                path: path,
                String(
                    format: "bad magic number 0x%08x, expected 0x%08x for an IDX %@ file%@",
                    magic, expectedMagic, kind, hint))
        }
        let dims = (0..<n).map { Int(word(b, 4 + 4 * $0)) }
        var payload = 1
        for d in dims {
            let (product, overflow) = payload.multipliedReportingOverflow(by: d)
            guard !overflow else { throw DatasetError(path: path, "header sizes \(dims) overflow") }
            payload = product
        }
        let expected = headerSize + payload
        guard expected == b.count else {
            let what = dims.map(String.init).joined(separator: "x")
            throw DatasetError(
                path: path,
                "header says \(what) (\(expected) bytes) but the file has \(b.count) bytes"
                    + (b.count < expected ? " (truncated?)" : ""))
        }
        return dims
    }

    static func word(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    /// The file's bytes, inflated if it is gzipped.
    static func load(path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw DatasetError(path: path, exists ? "cannot be read (permissions, or a directory?)" : "no such file")
        }
        return try inflateIfGzipped([UInt8](data), path: path)
    }

    /// Gzip data inflated (at most 256 MiB), anything else as it is.
    public static func inflateIfGzipped(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b {
            do {
                return try Zlib.inflate(bytes, limit: 256 << 20)
            } catch Zlib.Failure.truncated {
                throw DatasetError(path: path, "gzip stream is truncated")
            } catch Zlib.Failure.tooLarge {
                throw DatasetError(path: path, "inflates to more than 256 MiB; not an MNIST-sized file")
            } catch {
                throw DatasetError(path: path, "gzip stream is corrupt")
            }
        }
        return bytes
    }
}

extension Dataset {
    /// Write both splits as the four plain IDX files into `directory` (created if need be), each
    /// atomically: how a set read from other formats is kept, so that it loads as MNIST does.
    /// Pixels are rounded to bytes.
    public func writeIDX(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let n = Self.fileNames
        for (set, imageName, labelName) in [(train, n.trainImages, n.trainLabels), (test, n.testImages, n.testLabels)] {
            func word(_ v: Int) -> [UInt8] {
                [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
            }
            // Grey sets as MNIST's files; colour ones with a fourth dimension, the channels.
            let head =
                set.channels == 1
                ? word(Int(IDX.imagesMagic)) + word(set.count) + word(set.rows) + word(set.columns)
                : word(Int(IDX.colourImagesMagic)) + word(set.count) + word(set.rows) + word(set.columns)
                    + word(set.channels)
            let images = head + set.images.map(DigitSet.byte)
            let labels = word(Int(IDX.labelsMagic)) + word(set.count) + set.labels
            try AtomicFile.write(Data(images), to: (directory as NSString).appendingPathComponent(imageName))
            try AtomicFile.write(Data(labels), to: (directory as NSString).appendingPathComponent(labelName))
        }
    }

    /// A checksum of both splits as `writeIDX` keeps them (each pixel's byte, each label, in
    /// order; for images other than 28x28 grey, their shape first): "crc32:" and eight hex digits.
    /// Two sets with the same checksum train alike.
    public var checksum: String {
        var crc: UInt32 = 0
        for set in [train, test] {
            var header = [UInt8](), value = set.count
            for _ in 0..<8 { header.append(UInt8(value & 0xFF)); value >>= 8 }
            // MNIST's shape adds nothing, so that the checksums of runs kept before sides and
            // colour read as they were.
            if (set.rows, set.columns, set.channels) != (Digit.side, Digit.side, 1) {
                header += [set.rows, set.columns, set.channels].map { UInt8(truncatingIfNeeded: $0) }
            }
            crc = Zlib.crc32(header, continuing: crc)
            crc = Zlib.crc32(set.images.map(DigitSet.byte), continuing: crc)
            crc = Zlib.crc32(set.labels, continuing: crc)
        }
        return Self.checksumPrefix + String(format: "%08x", crc)
    }

    static let checksumPrefix = "crc32:"

    /// The hex digits of a `checksum`, for file names: "crc32:0a1b2c3d" -> "0a1b2c3d".
    public static func checksumDigits(_ checksum: String) -> String {
        checksum.hasPrefix(checksumPrefix) ? String(checksum.dropFirst(checksumPrefix.count)) : checksum
    }
}
