// The model's layers for the browser: the kernels a report page runs to decode, encode and
// classify digits with a run's weights (Sources/Browser/Page/model.js composes them into the
// networks, docs/MODEL.md §2). Compiled to WebAssembly with 128-bit SIMD by
// scripts/build_web_model.sh, with no C library: every buffer lives in the module's memory,
// handed out by `alloc`.
//
// Layout is NHWC and the weights are Keras's, as in the checkpoint: conv kernels (kh, kw, cin,
// cout), dense kernels (in, out). Output channels are contiguous in both, so the inner loops
// take four of them at a time (f32x4) and keep sixteen in registers.

#include <wasm_simd128.h>

typedef unsigned long size_t;

extern unsigned char __heap_base;
static size_t heap_top = 0;

// Bytes of fresh memory, 16-aligned (growing the memory when needed); 0 when it cannot grow.
__attribute__((export_name("alloc"))) void *alloc(int bytes) {
    if (heap_top == 0) heap_top = ((size_t)&__heap_base + 15) & ~(size_t)15;
    size_t start = heap_top, end = (start + (size_t)bytes + 15) & ~(size_t)15;
    size_t have = __builtin_wasm_memory_size(0) * 65536;
    if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (size_t)-1) return 0;
    heap_top = end;
    return (void *)start;
}

// Everything allocated since `mark` (a value `alloc` returned) is free again.
__attribute__((export_name("release"))) void release(void *mark) { heap_top = (size_t)mark; }

enum { ACT_NONE = 0, ACT_LEAKY = 1, ACT_RELU = 2 };

// Keras 2's LeakyReLU, relu(x) - 0.3 relu(-x) (slope 0 at exactly 0), or ReLU.
static inline float activate(float v, int act) {
    if (act == ACT_LEAKY) return v > 0 ? v : (v < 0 ? 0.3f * v : 0.0f);
    if (act == ACT_RELU) return v > 0 ? v : 0.0f;
    return v;
}

static inline v128_t activate4(v128_t v, int act) {
    if (act == ACT_NONE) return v;
    v128_t zero = wasm_f32x4_splat(0.0f), pos = wasm_f32x4_max(v, zero);
    if (act == ACT_RELU) return pos;
    return wasm_f32x4_sub(pos, wasm_f32x4_mul(wasm_f32x4_splat(0.3f), wasm_f32x4_max(wasm_f32x4_neg(v), zero)));
}

// y[n][out] = act(x[n][in] . w[in][out] + b[out]).
__attribute__((export_name("dense"))) void dense(
    const float *x, int n, int in, const float *w, const float *b, int out, float *y, int act) {
    for (int i = 0; i < n; i++) {
        float *yi = y + (size_t)i * out;
        for (int o = 0; o < out; o++) yi[o] = b[o];
        for (int k = 0; k < in; k++) {
            float v = x[(size_t)i * in + k];
            if (v == 0.0f) continue;
            const float *wk = w + (size_t)k * out;
            v128_t s = wasm_f32x4_splat(v);
            int o = 0;
            for (; o + 4 <= out; o += 4)
                wasm_v128_store(yi + o, wasm_f32x4_add(wasm_v128_load(yi + o), wasm_f32x4_mul(s, wasm_v128_load(wk + o))));
            for (; o < out; o++) yi[o] += v * wk[o];
        }
        for (int o = 0; o < out; o++) yi[o] = activate(yi[o], act);
    }
}

// One output pixel of a convolution: `taps` (input pixel, kernel tap) pairs, all channels.
// cout % 4 == 0: sixteen channels at a time in registers, then four.
static void conv_pixel(const float *const *xs, const float *const *ws, int taps, int cin, const float *b, int cout,
                       float *y, int act) {
    int o = 0;
    for (; o + 16 <= cout; o += 16) {
        v128_t a0 = wasm_v128_load(b + o), a1 = wasm_v128_load(b + o + 4);
        v128_t a2 = wasm_v128_load(b + o + 8), a3 = wasm_v128_load(b + o + 12);
        for (int t = 0; t < taps; t++) {
            const float *xp = xs[t], *wp = ws[t] + o;
            for (int c = 0; c < cin; c++, wp += cout) {
                v128_t v = wasm_f32x4_splat(xp[c]);
                a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(v, wasm_v128_load(wp)));
                a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(v, wasm_v128_load(wp + 4)));
                a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(v, wasm_v128_load(wp + 8)));
                a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(v, wasm_v128_load(wp + 12)));
            }
        }
        wasm_v128_store(y + o, activate4(a0, act));
        wasm_v128_store(y + o + 4, activate4(a1, act));
        wasm_v128_store(y + o + 8, activate4(a2, act));
        wasm_v128_store(y + o + 12, activate4(a3, act));
    }
    for (; o + 4 <= cout; o += 4) {
        v128_t a = wasm_v128_load(b + o);
        for (int t = 0; t < taps; t++) {
            const float *xp = xs[t], *wp = ws[t] + o;
            for (int c = 0; c < cin; c++, wp += cout) a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_splat(xp[c]), wasm_v128_load(wp)));
        }
        wasm_v128_store(y + o, activate4(a, act));
    }
    for (; o < cout; o++) {
        float a = b[o];
        for (int t = 0; t < taps; t++) {
            const float *xp = xs[t], *wp = ws[t] + o;
            for (int c = 0; c < cin; c++, wp += cout) a += xp[c] * *wp;
        }
        y[o] = activate(a, act);
    }
}

// A convolution with TensorFlow's 'same' padding: output ceil(h / stride) x ceil(w / stride),
// total padding max(0, (out - 1) * stride + k - in), the smaller half before.
__attribute__((export_name("conv"))) void conv(
    const float *x, int n, int h, int w, int cin, const float *k, const float *b, int kh, int kw, int cout,
    int stride, float *y, int act) {
    int oh = (h + stride - 1) / stride, ow = (w + stride - 1) / stride;
    int ph = (oh - 1) * stride + kh - h, pw = (ow - 1) * stride + kw - w;
    int top = ph > 0 ? ph / 2 : 0, left = pw > 0 ? pw / 2 : 0;
    const float *xs[49], *ws[49];  // kernels up to 7x7
    for (int i = 0; i < n; i++)
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++) {
                int taps = 0;
                for (int ky = 0; ky < kh; ky++) {
                    int iy = oy * stride + ky - top;
                    if (iy < 0 || iy >= h) continue;
                    for (int kx = 0; kx < kw; kx++) {
                        int ix = ox * stride + kx - left;
                        if (ix < 0 || ix >= w) continue;
                        xs[taps] = x + (((size_t)i * h + iy) * w + ix) * cin;
                        ws[taps] = k + ((size_t)ky * kw + kx) * cin * cout;
                        taps++;
                    }
                }
                conv_pixel(xs, ws, taps, cin, b, cout, y + (((size_t)i * oh + oy) * ow + ox) * cout, act);
            }
}

// A 5x5 'same' convolution of an image upsampled x2 by nearest neighbour, folded: each of the
// four output phases (oy % 2, ox % 2) is a 3x3 convolution of the image before upsampling, whose
// taps sum the 5x5 taps that land on the same input pixel. For phase p, kernel row ky reads input
// row i + floor((p + ky - 2) / 2): rows {0,1} -> -1, {2,3} -> 0, {4} -> +1 for p = 0, and
// {0} -> -1, {1,2} -> 0, {3,4} -> +1 for p = 1. `folded` gets 4 x 3 x 3 x cin x cout floats.
__attribute__((export_name("fold_upsampled_5x5"))) void fold_upsampled_5x5(
    const float *k, int cin, int cout, float *folded) {
    size_t tap = (size_t)cin * cout;
    for (size_t i = 0; i < 36 * tap; i++) folded[i] = 0;
    for (int py = 0; py < 2; py++)
        for (int px = 0; px < 2; px++)
            for (int ky = 0; ky < 5; ky++)
                for (int kx = 0; kx < 5; kx++) {
                    int a = (py + ky - 2 + 4) / 2 - 2 + 1, bb = (px + kx - 2 + 4) / 2 - 2 + 1;  // 0, 1 or 2
                    float *f = folded + (((size_t)(py * 2 + px) * 3 + a) * 3 + bb) * tap;
                    const float *s = k + ((size_t)ky * 5 + kx) * tap;
                    for (size_t i = 0; i < tap; i++) f[i] += s[i];
                }
}

// y (n, 2h, 2w, cout) = act(conv5x5_same(upsample2(x)) + b), from `folded` (fold_upsampled_5x5).
__attribute__((export_name("conv_upsampled_5x5"))) void conv_upsampled_5x5(
    const float *x, int n, int h, int w, int cin, const float *folded, const float *b, int cout, float *y, int act) {
    size_t tap = (size_t)cin * cout;
    const float *xs[9], *ws[9];
    for (int i = 0; i < n; i++)
        for (int oy = 0; oy < 2 * h; oy++)
            for (int ox = 0; ox < 2 * w; ox++) {
                int py = oy & 1, px = ox & 1, taps = 0;
                const float *phase = folded + (size_t)(py * 2 + px) * 9 * tap;
                for (int a = 0; a < 3; a++) {
                    int iy = (oy >> 1) + a - 1;
                    if (iy < 0 || iy >= h) continue;
                    for (int c = 0; c < 3; c++) {
                        int ix = (ox >> 1) + c - 1;
                        if (ix < 0 || ix >= w) continue;
                        xs[taps] = x + (((size_t)i * h + iy) * w + ix) * cin;
                        ws[taps] = phase + (size_t)(a * 3 + c) * tap;
                        taps++;
                    }
                }
                conv_pixel(xs, ws, taps, cin, b, cout, y + (((size_t)i * 2 * h + oy) * 2 * w + ox) * cout, act);
            }
}

// y (n, 2h, 2w, c): each pixel of x repeated 2x2.
__attribute__((export_name("upsample2"))) void upsample2(const float *x, int n, int h, int w, int c, float *y) {
    for (int i = 0; i < n; i++)
        for (int oy = 0; oy < 2 * h; oy++)
            for (int ox = 0; ox < 2 * w; ox++) {
                const float *s = x + (((size_t)i * h + (oy >> 1)) * w + (ox >> 1)) * c;
                float *d = y + (((size_t)i * 2 * h + oy) * 2 * w + ox) * c;
                for (int k = 0; k < c; k++) d[k] = s[k];
            }
}

// y (n, ceil(h/2), ceil(w/2), c): 2x2 max-pooling, 'same' (a padded cell never wins).
__attribute__((export_name("maxpool2"))) void maxpool2(const float *x, int n, int h, int w, int c, float *y) {
    int oh = (h + 1) / 2, ow = (w + 1) / 2;
    for (int i = 0; i < n; i++)
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int k = 0; k < c; k++) {
                    float m = -3.4e38f;
                    for (int dy = 0; dy < 2; dy++)
                        for (int dx = 0; dx < 2; dx++) {
                            int iy = 2 * oy + dy, ix = 2 * ox + dx;
                            if (iy < h && ix < w) {
                                float v = x[(((size_t)i * h + iy) * w + ix) * c + k];
                                if (v > m) m = v;
                            }
                        }
                    y[(((size_t)i * oh + oy) * ow + ox) * c + k] = m;
                }
}

// x = 1 / (1 + exp(-x)), in place (no C library: exp from exp2 by range reduction).
static float exp_approx(float v) {
    if (v < -87.0f) return 0.0f;
    if (v > 88.0f) v = 88.0f;
    // e^v = 2^(v log2 e) = 2^k * 2^f, k integer, f in [-0.5, 0.5]: a degree-7 polynomial for 2^f.
    float t = v * 1.4426950408889634f;
    float kf = (float)(int)(t + (t >= 0 ? 0.5f : -0.5f)), f = t - kf;
    float p = 1.0f + f * (0.6931471805599453f + f * (0.2402265069591007f + f * (0.05550410866482158f +
              f * (0.009618129107628477f + f * (0.0013333558146428443f + f * (0.00015403530393381608f +
              f * 1.525273380405984e-05f))))));
    union { float f; int i; } u = {.f = p};
    u.i += (int)kf << 23;
    return u.f;
}

__attribute__((export_name("sigmoid"))) void sigmoid(float *x, int count) {
    for (int i = 0; i < count; i++) x[i] = 1.0f / (1.0f + exp_approx(-x[i]));
}
