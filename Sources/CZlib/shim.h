#include <zlib.h>

// inflateInit2 is a macro over inflateInit2_; Swift cannot import it.
static inline int shim_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 32);  // 15-bit window, +32: detect gzip or zlib header
}

// A raw deflate stream, as zip archives hold them (no zlib or gzip header).
static inline int shim_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -15);
}
