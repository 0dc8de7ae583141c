import CFFmpeg

/// Reads back a video's stream properties and frames (for tests and checks of what we wrote).
public struct VideoInfo: Equatable, Sendable {
    public var codec: String
    public var pixelFormat: String
    public var width: Int, height: Int
    public var framesPerSecond: Double
    public var frameCount: Int
    public var durationSeconds: Double
}

public enum VideoReader {
    /// Decode the whole file: its properties, and each frame's luma plane as full-range grey
    /// (0...255), only for frames listed in `keep`.
    public static func read(path: String, keep: Set<Int> = []) throws -> (info: VideoInfo, frames: [Int: [UInt8]]) {
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
                if keep.contains(count) {
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
            frameCount: count, durationSeconds: duration)
        return (info, frames)
    }
}
