import AtomicIO
import CFFmpeg

/// A failed libav call, naming the file and the step.
public typealias VideoError = FileError

extension FileError {
    /// FFmpeg's message for an error code (what av_err2str gives).
    static func message(_ code: Int32) -> String {
        var buf = [CChar](repeating: 0, count: 256)
        av_strerror(code, &buf, buf.count)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Throw unless `code` is non-negative.
    @discardableResult
    static func check(_ code: Int32, _ path: String, _ what: @autoclosure () -> String) throws -> Int32 {
        if code < 0 { throw VideoError(path: path, "\(what()) failed: \(message(code))") }
        return code
    }
}

/// The plane pointers and line sizes of an AVFrame (imported as 8-element tuples).
extension UnsafeMutablePointer where Pointee == AVFrame {
    var planes: [UnsafeMutablePointer<UInt8>?] {
        withUnsafeBytes(of: pointee.data) { Array($0.bindMemory(to: UnsafeMutablePointer<UInt8>?.self)) }
    }
    var lineSizes: [Int32] {
        withUnsafeBytes(of: pointee.linesize) { Array($0.bindMemory(to: Int32.self)) }
    }
}
