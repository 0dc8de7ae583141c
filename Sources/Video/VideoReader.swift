import CFFmpeg

/// Reads back a video's stream properties and frames (for tests and checks of what we wrote).
public struct VideoInfo: Equatable, Sendable {
    public var codec: String
    public var pixelFormat: String
    public var width: Int, height: Int
    public var framesPerSecond: Double
    public var frameCount: Int
    public var durationSeconds: Double
    /// The stream's colour matrix tag ("bt709"; "unknown" where it has none).
    public var colourMatrix: String
}

public enum VideoReader {
    /// Decode the whole file: its properties, and for the frames listed in `keep` each frame's luma
    /// plane as full-range grey (0...255), or with `colour` its pixels as R, G, B bytes, converted
    /// as the stream's tags say (BT.709's matrix where tagged so, else BT.601's, as players do).
    public static func read(path: String, keep: Set<Int> = [], colour: Bool = false) throws -> (
        info: VideoInfo, frames: [Int: [UInt8]]
    ) {
        var format: UnsafeMutablePointer<AVFormatContext>?
        try VideoError.check(avformat_open_input(&format, path, nil, nil), path, "opening")
        defer { avformat_close_input(&format) }
        try VideoError.check(avformat_find_stream_info(format, nil), path, "reading stream info")
        let index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        try VideoError.check(index, path, "finding a video stream")
        let stream = format!.pointee.streams[Int(index)]!
        let par = stream.pointee.codecpar!
        guard let decoder = avcodec_find_decoder(par.pointee.codec_id) else {
            throw VideoError(path: path, "no decoder")
        }
        var ctx = avcodec_alloc_context3(decoder)
        defer { avcodec_free_context(&ctx) }
        try VideoError.check(avcodec_parameters_to_context(ctx, par), path, "decoder parameters")
        try VideoError.check(avcodec_open2(ctx, decoder, nil), path, "opening the decoder")
        var packet = av_packet_alloc(), frame = av_frame_alloc()
        defer { av_packet_free(&packet); av_frame_free(&frame) }
        var frames: [Int: [UInt8]] = [:]
        var count = 0
        let limited = par.pointee.format == AV_PIX_FMT_YUV420P.rawValue && ctx!.pointee.color_range != AVCOL_RANGE_JPEG
        func drain() throws {
            while true {
                let r = avcodec_receive_frame(ctx, frame)
                if r == shim_averror_eagain() || r == shim_averror_eof() { return }
                try VideoError.check(r, path, "decoding")
                if keep.contains(count) && colour {
                    frames[count] = try rgb(frame!, path: path)
                } else if keep.contains(count) {
                    let w = Int(frame!.pointee.width), h = Int(frame!.pointee.height)
                    let plane = frame!.planes[0]!, stride = Int(frame!.lineSizes[0])
                    var grey = [UInt8](repeating: 0, count: w * h)
                    for y in 0..<h {
                        for x in 0..<w {
                            let v = Double(plane[y * stride + x])
                            grey[y * w + x] = UInt8(max(0, min(255, limited ? ((v - 16) * 255 / 219).rounded() : v)))
                        }
                    }
                    frames[count] = grey
                }
                count += 1
            }
        }
        while av_read_frame(format, packet) >= 0 {
            defer { av_packet_unref(packet) }
            if packet!.pointee.stream_index == index {
                try VideoError.check(avcodec_send_packet(ctx, packet), path, "decoding")
                try drain()
            }
        }
        try VideoError.check(avcodec_send_packet(ctx, nil), path, "flushing the decoder")
        try drain()
        let rate = stream.pointee.avg_frame_rate
        let tb = stream.pointee.time_base
        let duration =
            stream.pointee.duration > 0
            ? Double(stream.pointee.duration) * Double(tb.num) / Double(tb.den)
            : Double(format!.pointee.duration) / Double(AV_TIME_BASE)
        let info = VideoInfo(
            codec: String(cString: avcodec_get_name(par.pointee.codec_id)),
            pixelFormat: String(cString: av_get_pix_fmt_name(AVPixelFormat(par.pointee.format))),
            width: Int(par.pointee.width), height: Int(par.pointee.height),
            framesPerSecond: rate.den == 0 ? 0 : Double(rate.num) / Double(rate.den),
            frameCount: count, durationSeconds: duration,
            colourMatrix: String(cString: av_color_space_name(par.pointee.color_space)))
        return (info, frames)
    }

    /// A decoded frame as R, G, B bytes, by its own colour tags.
    static func rgb(_ frame: UnsafeMutablePointer<AVFrame>, path: String) throws -> [UInt8] {
        let w = Int(frame.pointee.width), h = Int(frame.pointee.height)
        let format = AVPixelFormat(frame.pointee.format)
        guard
            let scaler = sws_getContext(
                Int32(w), Int32(h), format, Int32(w), Int32(h), AV_PIX_FMT_RGB24, SWS_BICUBIC, nil, nil, nil)
        else { throw VideoError(path: path, "cannot create the colour converter") }
        defer { sws_freeContext(scaler) }
        let matrix = sws_getCoefficients(frame.pointee.colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601)
        let fullRange: Int32 = frame.pointee.color_range == AVCOL_RANGE_JPEG ? 1 : 0
        _ = sws_setColorspaceDetails(scaler, matrix, fullRange, matrix, 1, 0, 1 << 16, 1 << 16)
        var out = [UInt8](repeating: 0, count: w * h * 3)
        out.withUnsafeMutableBufferPointer { o in
            var dst: [UnsafeMutablePointer<UInt8>?] = [o.baseAddress, nil, nil, nil]
            var dstStride: [Int32] = [Int32(w * 3), 0, 0, 0]
            let planes = frame.planes.map { UnsafePointer($0) }
            _ = planes.withUnsafeBufferPointer { src in
                sws_scale(scaler, src.baseAddress, frame.lineSizes, 0, Int32(h), &dst, &dstStride)
            }
        }
        return out
    }
}
