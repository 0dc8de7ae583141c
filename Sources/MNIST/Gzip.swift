import CZlib

enum Gzip {
    /// Inflate a gzip stream, refusing output larger than `limit` bytes (a hostile file cannot make
    /// us allocate without bound) and reporting a truncated or corrupt stream by file name.
    static func inflate(_ input: [UInt8], path: String, limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard shim_inflate_init_gzip(&stream) == Z_OK else { throw DatasetError(path: path, "zlib could not start") }
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
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if output.count > limit { return Z_MEM_ERROR }
            } while ret == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
            return ret
        }
        switch status {
        case Z_STREAM_END: return output
        case Z_MEM_ERROR: throw DatasetError(path: path, "inflates to more than \(limit >> 20) MiB; not an MNIST-sized file")
        case Z_OK, Z_BUF_ERROR: throw DatasetError(path: path, "gzip stream is truncated")
        default: throw DatasetError(path: path, "gzip stream is corrupt (zlib error \(status))")
        }
    }
}
