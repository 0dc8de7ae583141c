import CZlib

/// zlib: gzip/zlib inflation with a size limit, zlib deflation, CRC-32.
public enum Zlib {
    public enum Failure: Error, Equatable {
        case truncated, corrupt(Int32), tooLarge(limit: Int)
    }

    /// Inflate a gzip or zlib stream (or, with `raw`, a bare deflate stream as a zip archive
    /// holds it), refusing output larger than `limit` bytes (a hostile file cannot make us
    /// allocate without bound).
    public static func inflate(_ input: [UInt8], limit: Int, raw: Bool = false) throws -> [UInt8] {
        var stream = z_stream()
        let started = raw ? shim_inflate_init_raw(&stream) : shim_inflate_init_gzip(&stream)
        guard started == Z_OK else { throw Failure.corrupt(Z_STREAM_ERROR) }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inp in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inp.count)
            var ret: Int32 = Z_OK
            repeat {
                ret = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                if output.count > limit { return Z_MEM_ERROR }
            } while ret == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
            return ret
        }
        switch status {
        case Z_STREAM_END: return output
        case Z_MEM_ERROR: throw Failure.tooLarge(limit: limit)
        case Z_OK, Z_BUF_ERROR: throw Failure.truncated
        default: throw Failure.corrupt(status)
        }
    }

    /// Deflate into a zlib stream.
    public static func deflate(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var size = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = compress2(&out, &size, input, uLong(input.count), level)
        precondition(status == Z_OK, "zlib compress2 failed: \(status)")
        return Array(out[0..<Int(size)])
    }

    public static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        UInt32(CZlib.crc32(uLong(crc), bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }

    public static func crc32(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { crc32($0, continuing: crc) }
    }
}
