import AtomicIO
import CCairo
import Datasets
import Foundation
import PNG

/// A picture that cannot be read.
public struct PictureError: Error, CustomStringConvertible {
    public let description: String
}

/// A Cairo RGB24 image surface with its drawing context. On little-endian machines each pixel is
/// 4 bytes B, G, R, x (FFmpeg's `bgr0`).
public final class Surface {
    public let width: Int, height: Int
    let surface: OpaquePointer
    let cr: OpaquePointer

    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0)
        self.width = width
        self.height = height
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
        cr = cairo_create(surface)
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
    }

    /// A PNG file's pixels (`PNGImage`, transparent parts over white), of at most `maxSide`
    /// pixels a side.
    public convenience init(png path: String, maxSide: Int = 16_384) throws {
        let image: PNGImage
        do { image = try PNGImage(path: path, maxSide: maxSide) } catch {
            throw PictureError(description: "\(path): \(error)")
        }
        self.init(image: image)
    }

    /// A decoded image's pixels, transparent parts over white.
    public convenience init(image: PNGImage) {
        self.init(width: image.width, height: image.height)
        let rgb = image.rgb(onto: 255)
        let data = cairo_image_surface_get_data(surface)!, stride = self.stride
        for y in 0..<height {
            for x in 0..<width {
                let q = data + y * stride + x * 4, p = 3 * (y * width + x)
                (q[0], q[1], q[2], q[3]) = (rgb[p + 2], rgb[p + 1], rgb[p], 255)
            }
        }
        cairo_surface_mark_dirty(surface)
    }

    /// The colour (R, G, B) of pixel (x, y).
    public func rgb(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        withPixels { p in
            let q = p + y * stride + x * 4; return (q[2], q[1], q[0])
        }
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    public var stride: Int { Int(cairo_image_surface_get_stride(surface)) }

    /// The pixels (B, G, R, x per pixel, `stride` bytes per row), after pending drawing is flushed.
    public func withPixels<R>(_ body: (UnsafePointer<UInt8>) throws -> R) rethrows -> R {
        cairo_surface_flush(surface)
        return try body(cairo_image_surface_get_data(surface))
    }

    /// Every pixel's luminance in [0, 1] (Rec. 709 weights of R, G, B), row-major.
    public func luminance() -> [Float] {
        withPixels { p in
            var out = [Float](repeating: 0, count: width * height)
            for y in 0..<height {
                for x in 0..<width {
                    let q = p + y * stride + x * 4
                    out[y * width + x] = (0.2126 * Float(q[2]) + 0.7152 * Float(q[1]) + 0.0722 * Float(q[0])) / 255
                }
            }
            return out
        }
    }

    /// The grey value (0...255) of pixel (x, y), from its green channel.
    public func grey(x: Int, y: Int) -> UInt8 { withPixels { $0[y * stride + x * 4 + 1] } }

    public func fill(_ r: Double, _ g: Double, _ b: Double) {
        cairo_set_source_rgb(cr, r, g, b)
        cairo_paint(cr)
    }

    /// Draw a grey image (bytes, 0 = black) into the rectangle, scaled with nearest-neighbour
    /// sampling (no smoothing, as matplotlib's imshow of the notebook). `invert` maps v -> 255-v.
    /// `smooth` filters instead: for drawing an image smaller than it is, where nearest-neighbour
    /// sampling would drop whole rows and columns of pixels.
    public func drawGrey(
        _ pixels: [UInt8], width w: Int, height h: Int, x: Double, y: Double,
        drawWidth: Double, drawHeight: Double, invert: Bool = false, smooth: Bool = false
    ) {
        precondition(pixels.count == w * h)
        draw(
            pixels, width: w, height: h, channels: 1, x: x, y: y, drawWidth: drawWidth, drawHeight: drawHeight,
            tone: invert ? Self.linear : nil, smooth: smooth)
    }

    /// Draw one of the model's images (bytes, `channels` per pixel, 0 = 0.0, 255 = 1.0) as the
    /// notebook shows them: a grey one as ink through matplotlib's 'Greys' (`GreyMap.greys`: 0
    /// white, 1 black, lighter than a straight ramp in the light greys), a colour one (RGB) as it
    /// is. Scaled as `drawGrey` scales.
    public func drawImage(
        _ pixels: [UInt8], width w: Int, height h: Int, channels: Int, x: Double, y: Double,
        drawWidth: Double, drawHeight: Double, smooth: Bool = false
    ) {
        precondition(pixels.count == w * h * channels && (channels == 1 || channels == 3))
        draw(
            pixels, width: w, height: h, channels: channels, x: x, y: y, drawWidth: drawWidth, drawHeight: drawHeight,
            tone: channels == 1 ? Self.greys : nil, smooth: smooth)
    }

    /// The two grey maps as tables, made once: 'Greys' for the model's images, and the straight
    /// ramp (v -> 255 - v) that `drawGrey`'s `invert` asks for.
    static let greys = GreyMap.greys.table, linear = GreyMap.linear.table

    /// Draws `pixels`, each channel's byte through `tone` where it is given (grey images).
    func draw(
        _ pixels: [UInt8], width w: Int, height h: Int, channels: Int, x: Double, y: Double,
        drawWidth: Double, drawHeight: Double, tone: [UInt8]?, smooth: Bool
    ) {
        let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(w), Int32(h))!
        let s = Int(cairo_image_surface_get_stride(image))
        let data = cairo_image_surface_get_data(image)!
        for row in 0..<h {
            for col in 0..<w {
                let p = data + row * s + col * 4, q = (row * w + col) * channels
                // Cairo's RGB24 on a little-endian machine: blue, green, red, unused.
                let r = pixels[q], g = pixels[q + channels / 2], b = pixels[q + channels - 1]
                if let tone {
                    p[0] = tone[Int(b)]; p[1] = tone[Int(g)]; p[2] = tone[Int(r)]
                } else {
                    p[0] = b; p[1] = g; p[2] = r
                }
                p[3] = 255
            }
        }
        cairo_surface_mark_dirty(image)
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, drawWidth / Double(w), drawHeight / Double(h))
        cairo_set_source_surface(cr, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), smooth ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST)
        cairo_rectangle(cr, 0, 0, Double(w), Double(h))
        cairo_fill(cr)
        cairo_restore(cr)
        cairo_surface_destroy(image)
    }

    public enum Align { case left, center, right }

    /// Text with its baseline at y, anchored at x.
    public func text(
        _ s: String, x: Double, y: Double, size: Double, align: Align = .left, rotate: Bool = false,
        color: (Double, Double, Double) = (0, 0, 0)
    ) {
        cairo_set_font_size(cr, size)
        var ext = cairo_text_extents_t()
        cairo_text_extents(cr, s, &ext)
        let dx = align == .left ? 0 : align == .center ? -ext.x_advance / 2 : -ext.x_advance
        cairo_save(cr)
        cairo_set_source_rgb(cr, color.0, color.1, color.2)
        cairo_translate(cr, x, y)
        if rotate { cairo_rotate(cr, -Double.pi / 2) }
        cairo_move_to(cr, dx, 0)
        cairo_show_text(cr, s)
        cairo_restore(cr)
    }

    public func textWidth(_ s: String, size: Double) -> Double {
        cairo_set_font_size(cr, size)
        var ext = cairo_text_extents_t()
        cairo_text_extents(cr, s, &ext)
        return ext.x_advance
    }

    public func rectangle(
        x: Double, y: Double, width: Double, height: Double, lineWidth: Double = 1,
        color: (Double, Double, Double) = (0, 0, 0)
    ) {
        cairo_set_source_rgb(cr, color.0, color.1, color.2)
        cairo_set_line_width(cr, lineWidth)
        cairo_rectangle(cr, x, y, width, height)
        cairo_stroke(cr)
    }

    public func line(
        _ points: [(Double, Double)], width: Double = 1, color: (Double, Double, Double), dash: [Double] = []
    ) {
        guard let first = points.first else { return }
        cairo_set_source_rgb(cr, color.0, color.1, color.2)
        cairo_set_line_width(cr, width)
        cairo_set_dash(cr, dash, Int32(dash.count), 0)
        cairo_move_to(cr, first.0, first.1)
        for p in points.dropFirst() { cairo_line_to(cr, p.0, p.1) }
        cairo_stroke(cr)
        cairo_set_dash(cr, [], 0, 0)
    }

    public func dot(x: Double, y: Double, radius: Double, color: (Double, Double, Double), alpha: Double = 1) {
        cairo_set_source_rgba(cr, color.0, color.1, color.2, alpha)
        cairo_arc(cr, x, y, radius, 0, 2 * Double.pi)
        cairo_fill(cr)
    }

    /// Clip later drawing to a rectangle until `resetClip`.
    public func clip(x: Double, y: Double, width: Double, height: Double) {
        cairo_rectangle(cr, x, y, width, height)
        cairo_clip(cr)
    }

    public func resetClip() { cairo_reset_clip(cr) }

    /// Write as PNG, atomically: a temporary file in the same folder, then rename.
    public func writePNG(to path: String) throws {
        cairo_surface_flush(surface)
        let tmp = AtomicFile.temporaryPath(for: path)
        let status = cairo_surface_write_to_png(surface, tmp)
        guard status == CAIRO_STATUS_SUCCESS else {
            unlink(tmp)
            throw AtomicFile.WriteError(
                path: path, problem: "cannot write PNG (\(String(cString: cairo_status_to_string(status))))")
        }
        try AtomicFile.commit(temporary: tmp, to: path)
    }
}
