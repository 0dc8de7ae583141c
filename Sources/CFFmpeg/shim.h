#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>

// Function-like macros Swift cannot import.
static inline int shim_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int shim_averror_eof(void) { return AVERROR_EOF; }
static inline int64_t shim_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline AVRational shim_av_time_base_q(void) { return AV_TIME_BASE_Q; }
static inline void shim_av_log_quiet(void) { av_log_set_level(AV_LOG_ERROR); }
