import AtomicIO
import CFFmpeg
import Foundation

/// Encodes frames (Cairo's B,G,R,x pixels) into an MP4 (H.264, yuv420p, moov atom first) or a
/// GIF, through libavformat/libavcodec/libswscale. The file is written under a temporary name
/// and renamed into place by `finish()`; a writer dropped before that removes its temporary file,
/// so no half-written video is ever left behind.
public final class VideoWriter {
    public enum Container: String, Sendable {
        case mp4, gif
        /// From a file name's extension, or nil for one we do not write.
        public init?(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "mp4": self = .mp4
            case "gif": self = .gif
            default: return nil
            }
        }
    }

    public let path: String
    public let width: Int, height: Int, fps: Int
    let container: Container
    let temporaryPath: String
    var format: UnsafeMutablePointer<AVFormatContext>?
    var codec: UnsafeMutablePointer<AVCodecContext>?
    var stream: UnsafeMutablePointer<AVStream>
    var frame: UnsafeMutablePointer<AVFrame>?
    var packet: UnsafeMutablePointer<AVPacket>?
    var scaler: OpaquePointer?
    var framesWritten = 0
    var finished = false

    /// - Parameters:
    ///   - x264Threads: encoder threads (1 when several films are encoded side by side).
    ///   - colour: whether the frames hold colour. A colour MP4 is converted with BT.709's matrix
    ///     and says so (primaries and matrix BT.709, sRGB's transfer, limited range), which is how
    ///     browsers and players then show it; without the tags a player guesses the matrix, and
    ///     BT.601 against BT.709 shifts hues by up to a tenth of the range. Grey frames look the same
    ///     under either matrix, and are written as they always were. A colour GIF takes 3-3-2 bit
    ///     colour (RGB8), the GIF encoder's one fixed palette.
    public init(path: String, width: Int, height: Int, fps: Int, x264Threads: Int = 0, colour: Bool = false) throws {
        guard let container = Container(path: path) else {
            throw VideoError(path: path, "unknown extension; write .mp4 or .gif")
        }
        guard width > 0, height > 0, width % 2 == 0, height % 2 == 0 else {
            throw VideoError(path: path, "frame size \(width)x\(height) must be positive and even (yuv420p)")
        }
        self.path = path; self.width = width; self.height = height; self.fps = fps; self.container = container
        try AtomicFile.checkWritable(path)
        temporaryPath = AtomicFile.temporaryPath(for: path)
        shim_av_log_quiet()

        try VideoError.check(
            avformat_alloc_output_context2(&format, nil, container.rawValue, temporaryPath), path,
            "creating the \(container) muxer")
        let encoder =
            container == .mp4 ? avcodec_find_encoder_by_name("libx264") : avcodec_find_encoder(AV_CODEC_ID_GIF)
        guard let encoder else {
            throw VideoError(path: path, "this FFmpeg has no \(container == .mp4 ? "libx264" : "gif") encoder")
        }
        guard let s = avformat_new_stream(format, nil) else { throw VideoError(path: path, "cannot add a stream") }
        stream = s
        codec = avcodec_alloc_context3(encoder)
        guard let c = codec else { throw VideoError(path: path, "cannot allocate the encoder") }
        let pixelFormat = container == .mp4 ? AV_PIX_FMT_YUV420P : colour ? AV_PIX_FMT_RGB8 : AV_PIX_FMT_GRAY8
        c.pointee.width = Int32(width)
        c.pointee.height = Int32(height)
        c.pointee.time_base = AVRational(num: 1, den: Int32(fps))
        c.pointee.framerate = AVRational(num: Int32(fps), den: 1)
        c.pointee.pix_fmt = pixelFormat
        c.pointee.thread_count = Int32(x264Threads)
        let tagged = colour && container == .mp4
        if tagged {
            c.pointee.color_range = AVCOL_RANGE_MPEG
            c.pointee.color_primaries = AVCOL_PRI_BT709
            c.pointee.color_trc = AVCOL_TRC_IEC61966_2_1
            c.pointee.colorspace = AVCOL_SPC_BT709
        }
        if container == .mp4 {
            c.pointee.gop_size = 10 * Int32(fps)
            av_opt_set(c.pointee.priv_data, "preset", "ultrafast", 0)
            av_opt_set(c.pointee.priv_data, "crf", "18", 0)
        }
        if (format!.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER) != 0 {
            c.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
        }
        try VideoError.check(avcodec_open2(c, encoder, nil), path, "opening the encoder")
        try VideoError.check(
            avcodec_parameters_from_context(stream.pointee.codecpar, c), path, "setting stream parameters")
        stream.pointee.time_base = c.pointee.time_base
        stream.pointee.avg_frame_rate = c.pointee.framerate

        try VideoError.check(avio_open(&format!.pointee.pb, temporaryPath, AVIO_FLAG_WRITE), path, "opening the output")
        var options: OpaquePointer?
        if container == .mp4 { av_dict_set(&options, "movflags", "+faststart", 0) }
        defer { av_dict_free(&options) }
        try VideoError.check(avformat_write_header(format, &options), path, "writing the header")

        frame = av_frame_alloc()
        packet = av_packet_alloc()
        guard let f = frame, packet != nil else { throw VideoError(path: path, "cannot allocate frame buffers") }
        f.pointee.format = pixelFormat.rawValue
        f.pointee.width = Int32(width)
        f.pointee.height = Int32(height)
        try VideoError.check(av_frame_get_buffer(f, 0), path, "allocating a frame")
        scaler = sws_getContext(
            Int32(width), Int32(height), AV_PIX_FMT_BGR0, Int32(width), Int32(height), pixelFormat,
            SWS_FAST_BILINEAR, nil, nil, nil)
        guard scaler != nil else { throw VideoError(path: path, "cannot create the colour converter") }
        if tagged {
            // RGB in full range to Y'CbCr in limited range, both sides by BT.709's coefficients.
            let bt709 = sws_getCoefficients(SWS_CS_ITU709)
            guard sws_setColorspaceDetails(scaler, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16) >= 0 else {
                throw VideoError(path: path, "cannot set the colour converter to BT.709")
            }
        }
    }

    deinit {
        sws_freeContext(scaler)
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codec)
        if let f = format {
            if f.pointee.pb != nil { avio_closep(&f.pointee.pb) }
            avformat_free_context(f)
        }
        if !finished { unlink(temporaryPath) }
    }

    /// Add one frame of B,G,R,x pixels, `stride` bytes per row.
    public func append(bgr0 pixels: UnsafePointer<UInt8>, stride: Int) throws {
        guard let f = frame else { return }
        try VideoError.check(av_frame_make_writable(f), path, "making the frame writable")
        var src: [UnsafePointer<UInt8>?] = [pixels, nil, nil, nil]
        var srcStride: [Int32] = [Int32(stride), 0, 0, 0]
        let planes = f.planes.map { UnsafeMutablePointer($0) }
        let sizes = f.lineSizes
        _ = planes.withUnsafeBufferPointer { dst in
            sws_scale(scaler, &src, &srcStride, 0, Int32(height), dst.baseAddress, sizes)
        }
        f.pointee.pts = Int64(framesWritten)
        framesWritten += 1
        try send(f)
    }

    /// Send a frame (or nil to flush) and write every packet the encoder has ready.
    func send(_ f: UnsafeMutablePointer<AVFrame>?) throws {
        try VideoError.check(avcodec_send_frame(codec, f), path, "encoding")
        while true {
            let r = avcodec_receive_packet(codec, packet)
            if r == shim_averror_eagain() || r == shim_averror_eof() { return }
            try VideoError.check(r, path, "encoding")
            // libx264 in FFmpeg 5.1 leaves duration 0, which loses the last frame in MP4.
            if packet!.pointee.duration == 0 { packet!.pointee.duration = 1 }
            av_packet_rescale_ts(packet, codec!.pointee.time_base, stream.pointee.time_base)
            packet!.pointee.stream_index = stream.pointee.index
            try VideoError.check(av_interleaved_write_frame(format, packet), path, "writing a packet")
        }
    }

    /// Flush the encoder, write the trailer, and move the file into place.
    public func finish() throws {
        guard !finished else { return }
        try send(nil)
        try VideoError.check(av_write_trailer(format), path, "writing the trailer")
        try VideoError.check(avio_closep(&format!.pointee.pb), path, "closing the file")
        try AtomicFile.commit(temporary: temporaryPath, to: path)
        finished = true
    }
}
