#!/usr/bin/env python3
"""Issue 58, item 5: how thick do our models draw the article's thin 7s, and how thick did the
article's model? Measures the stroke width and tone of the style-transfer sheet of the article's
ten 7s, drawn by each weights file given, against the author's figure (figs6/style_transfer.png of
msurtsukov/ae_vae_gan), and of the reconstructions of the first test digits (BENCHMARKS "Thin
digits").

    python3 scripts/thin_digits.py MNIST_DIR STYLE_TRANSFER_PNG WEIGHTS... [--recon 2000]
        [--notebook-reconstructions PNG...] [--draw OUT.png]

WEIGHTS are safetensors files of the model (Assets/article-weights.safetensors, a run's
checkpoint.safetensors). The encoder and decoder are run here in NumPy with dropout off, as
`Inference` runs them (docs/MODEL.md §2); on the shipped model they give `export style-transfer`'s
sheet to half a grey level. The figure was drawn by the notebook's plot_digits: matplotlib's
'Greys_r' of 1 - v (so the 'Greys' map of v, ColorBrewer's nine greys, not a linear ramp), scaled
up bilinearly 5.54 times. Its tiles are read at the centres of their 28x28 pixels and the map
undone; our sheets are also drawn that way and read back the same way (the "as drawn" columns), so
both sides go through one pipeline. --notebook-reconstructions reads the author's saved
reconstruction rows (plot_digits of a test batch over its reconstructions, 'Greys_r' of v) from
his notebooks' outputs. --draw writes our first model's sheet drawn as the figure was.
Needs NumPy and Pillow.
"""
import argparse, json, os, struct
import numpy as np
from idx_files import idx
from numpy.lib.stride_tricks import sliding_window_view
from PIL import Image

ARTICLE_SEVENS = [2564, 4551, 3136, 4793, 5789, 3643, 8974, 6361, 8401, 1848]  # SheetInputs' 'article'
# matplotlib's _Greys_data (ColorBrewer): the luminance at values 0, 1/8, ..., 1.
GREYS = np.array([1.0, 0.941176470588, 0.850980392157, 0.741176470588, 0.588235294118,
                  0.450980392157, 0.321568627451, 0.145098039216, 0.0])
STOPS = np.linspace(0, 1, 9)


def greys(v):
    return np.interp(v, STOPS, GREYS)


def ungreys(luminance):
    return np.interp(luminance, GREYS[::-1], STOPS[::-1])


# ---- the model (docs/MODEL.md §2), inference only ----

def load_weights(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    arrays = {k: np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], np.float32).reshape(v["shape"])
              for k, v in header.items() if k != "__metadata__"}
    return arrays, header.get("__metadata__", {})


def conv(x, kernel, bias, stride=1):
    """TensorFlow's 'same' convolution, NHWC, kernel HWIO."""
    k, h = kernel.shape[0], x.shape[1]
    total = max(0, (-(-h // stride) - 1) * stride + k - h)
    x = np.pad(x, ((0, 0), (total // 2, total - total // 2), (total // 2, total - total // 2), (0, 0)))
    windows = sliding_window_view(x, (k, k), axis=(1, 2))[:, ::stride, ::stride]
    return np.tensordot(windows, kernel, axes=([4, 5, 3], [0, 1, 2])) + bias


def leaky(x):
    return np.maximum(x, 0) - 0.3 * np.maximum(-x, 0)


def maxpool(x):
    n, h, w, c = x.shape
    x = np.pad(x, ((0, 0), (0, h % 2), (0, w % 2), (0, 0)), constant_values=-np.inf)
    return x.reshape(n, (h + 1) // 2, 2, (w + 1) // 2, 2, c).max(axis=(2, 4))


def up(x):
    return x.repeat(2, axis=1).repeat(2, axis=2)


class Model:
    def __init__(self, path):
        self.w, self.meta = load_weights(path)

    def layer(self, name):
        return self.w[name + ".kernel"], self.w[name + ".bias"]

    def encode(self, x, labels):
        """z_mean of images [N, 28, 28] in [0, 1] with their labels."""
        out = []
        for s in range(0, len(x), 100):
            xb, yb = x[s:s + 100, :, :, None], np.eye(10, dtype=np.float32)[labels[s:s + 100]]
            h = maxpool(leaky(conv(xb, *self.layer("encoder.conv1"), stride=2)))
            h = leaky(conv(h, *self.layer("encoder.conv2"))).reshape(len(xb), -1)
            k, b = self.layer("encoder.dense1")
            h = leaky(np.concatenate([h, yb], 1) @ k + b)
            k, b = self.layer("encoder.z_mean")
            out.append(h @ k + b)
        return np.concatenate(out)

    def decode(self, z, labels):
        out = []
        labels = np.broadcast_to(labels, (len(z),))
        for s in range(0, len(z), 100):
            zb, yb = z[s:s + 100], np.eye(10, dtype=np.float32)[labels[s:s + 100]]
            k, b = self.layer("decoder.dense1")
            h = leaky(np.concatenate([zb, yb], 1) @ k + b).reshape(len(zb), 7, 7, 128)
            h = leaky(conv(up(h), *self.layer("decoder.conv1")))
            h = leaky(up(conv(h, *self.layer("decoder.conv2"))))
            logits = conv(h, *self.layer("decoder.conv3"))[..., 0]
            out.append(0.5 * (1 + np.tanh(0.5 * logits)))  # the sigmoid, without overflow
        return np.concatenate(out)

    def sheet(self, x, label):
        """The style-transfer sheet [10, columns, 28, 28]: row `label` holds the inputs."""
        z = self.encode(x, np.full(len(x), label))
        rows = [x if k == label else self.decode(z, np.full(len(x), k)) for k in range(10)]
        return np.stack(rows)


# ---- measures ----

def tv_width(v):
    """Stroke width in pixels: twice the ink over the edge length (total variation), per image."""
    gy, gx = np.diff(v, axis=-2)[..., :, :-1], np.diff(v, axis=-1)[..., :-1, :]
    return 2 * v.sum(axis=(-1, -2)) / np.sqrt(gx ** 2 + gy ** 2).sum(axis=(-1, -2))


def binary_width(v, threshold=0.5):
    """The same of the image cut at `threshold`: twice its pixels over its boundary's edges."""
    b = np.pad((v > threshold).astype(np.float32), [(0, 0)] * (v.ndim - 2) + [(1, 1), (1, 1)])
    edges = np.abs(np.diff(b, axis=-1)).sum((-1, -2)) + np.abs(np.diff(b, axis=-2)).sum((-1, -2))
    return 2 * b.sum((-1, -2)) / np.maximum(edges, 1)


def sheet_measures(S, row):
    gen, inputs = np.delete(S, row, 0), S[row]
    gen_ink, in_ink = gen.mean((2, 3)), inputs.mean((1, 2))
    width_in, width_gen = tv_width(inputs), tv_width(gen).mean(0)
    thin = np.argsort(width_in)[:4]
    return dict(
        ink=gen.mean() / inputs.mean(),
        carry=np.mean([r.std() / in_ink.std() for r in gen_ink]),
        width=binary_width(gen).mean() / binary_width(inputs).mean(),
        cores=(gen > 0.9).sum() / len(gen) / (inputs > 0.9).sum(),
        thin_in=width_in[thin].mean(), thin_out=width_gen[thin].mean(),
        all_in=width_in.mean(), all_out=width_gen.mean())


# ---- pictures drawn as plot_digits drew them ----

SCALE, MARGIN = 5.54, 10


def draw(S):
    """A sheet [rows, columns, 28, 28] as plot_digits(invert_colors=True) drew it: luminance."""
    rows, cols = S.shape[:2]
    img = greys(S.transpose(0, 2, 1, 3).reshape(rows * 28, cols * 28))
    def axis(n):
        p = np.clip((np.arange(int(round(n * SCALE))) + 0.5) / SCALE - 0.5, 0, n - 1)
        i = np.floor(p).astype(int)
        return i, np.minimum(i + 1, n - 1), p - i
    y0, y1, fy = axis(img.shape[0]); x0, x1, fx = axis(img.shape[1])
    fy, fx = fy[:, None], fx[None, :]
    top = img[y0][:, x0] * (1 - fx) + img[y0][:, x1] * fx
    bottom = img[y1][:, x0] * (1 - fx) + img[y1][:, x1] * fx
    canvas = np.ones((len(y0) + 2 * MARGIN, len(x0) + 2 * MARGIN))
    canvas[MARGIN:-MARGIN, MARGIN:-MARGIN] = top * (1 - fy) + bottom * fy
    return np.round(canvas * 255) / 255


def read_tiles(L, gx, gy, s, rows, cols):
    """Luminance at the centres of each tile's 28x28 pixels: [rows, cols, 28, 28]."""
    r, c = np.arange(rows)[:, None, None, None], np.arange(cols)[None, :, None, None]
    y, x = np.arange(28)[None, None, :, None], np.arange(28)[None, None, None, :]
    px = np.clip(gx + (c * 28 + x + 0.5) * s, 0, L.shape[1] - 1).astype(int)
    py = np.clip(gy + (r * 28 + y + 0.5) * s, 0, L.shape[0] - 1).astype(int)
    return L[py, px]


def luminance(path):
    a = np.asarray(Image.open(path).convert("RGB")).astype(float) / 255
    return 0.2126 * a[..., 0] + 0.7152 * a[..., 1] + 0.0722 * a[..., 2]


def fit_grid(L, known, row, rows, cols, to_value):
    """The grid's origin and pixel size in a picture, fitted on the row of known digits."""
    def search(best, sizes, xs, ys):
        for s in sizes:
            for gx in xs:
                for gy in ys:
                    t = to_value(read_tiles(L, gx, gy, s, rows, cols)[row])
                    best = max(best, (np.corrcoef(known.ravel(), t.ravel())[0, 1], gx, gy, s))
        return best
    best = search((-1.0, 0, 0, 0), np.arange(5.46, 5.62, 0.01), np.arange(4, 16.1), np.arange(4, 16.1))
    _, gx, gy, s = best
    return search(best, [s], np.arange(gx - 1, gx + 1.01, 0.25), np.arange(gy - 1, gy + 1.01, 0.25))


def label(model, path):
    """A model's name in the tables: its preset, seed and masks, or its run folder; its iteration."""
    words = model.meta.get("made_by", "").split()
    if "--preset" in words:
        name = words[words.index("--preset") + 1] + " s" + words[words.index("--seed") + 1]
        name += ", shared" if "shared" in words else ", independent"
    else:
        name = os.path.basename(os.path.dirname(os.path.abspath(path))) or path
    return f"{name} @{model.meta.get('iteration', '?')}"[:43]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("mnist"); p.add_argument("figure"); p.add_argument("weights", nargs="+")
    p.add_argument("--recon", type=int, default=2000)
    p.add_argument("--notebook-reconstructions", nargs="*", default=[])
    p.add_argument("--draw")
    a = p.parse_args()
    X = idx(os.path.join(a.mnist, "t10k-images-idx3-ubyte")).astype(np.float32) / 255
    Y = idx(os.path.join(a.mnist, "t10k-labels-idx1-ubyte")).astype(int)
    sevens = X[ARTICLE_SEVENS]

    L = luminance(a.figure)
    fit, gx, gy, s = fit_grid(L, sevens, 7, 10, 10, lambda t: ungreys(t))
    article = ungreys(read_tiles(L, gx, gy, s, 10, 10))
    print(f"the figure's grid: origin ({gx:.0f}, {gy:.0f}), {s:.2f} px per pixel; its inputs' row against the "
          f"test digits: correlation {fit:.4f}, mean |difference| {np.abs(article[7] - sevens).mean():.4f}")

    head = ("gen/input ink", "ink carry", "width>0.5 gen/input", "px>0.9 gen/input", "thin four in->out px",
            "all ten in->out px")
    print("\nthe sheet of the article's ten 7s; all values as drawn and read back (our exact values in brackets)")
    print(f"{'':44s}" + " | ".join(head))
    def line(m):
        return (f"{m['ink']:.3f} | {m['carry']:.3f} | {m['width']:.3f} | {m['cores']:.3f} | "
                f"{m['thin_in']:.2f}->{m['thin_out']:.2f} | {m['all_in']:.2f}->{m['all_out']:.2f}")
    print(f"{'the article figure':44s}" + line(sheet_measures(article, 7)))
    models = [Model(w) for w in a.weights]
    for w, m in zip(a.weights, models):
        S = m.sheet(sevens, 7)
        drawn = ungreys(read_tiles(draw(S), MARGIN, MARGIN, SCALE, 10, 10))
        exact = sheet_measures(S, 7)
        print(f"{label(m, w):44s}" + line(sheet_measures(drawn, 7))
              + f"   [{exact['ink']:.3f}, width {exact['width']:.3f}]")
        if a.draw and m is models[0]:
            Image.fromarray(np.round(draw(S) * 255).astype(np.uint8)).save(a.draw)

    if a.recon:
        x, y = X[:a.recon], Y[:a.recon]
        wi, ii = tv_width(x), x.mean((1, 2))
        by_ink, by_width = np.argsort(ii), np.argsort(wi)
        tenth = len(x) // 10
        print(f"\nreconstructions dec(z_mean(x), y) of the first {len(x)} test digits")
        print(f"{'':44s}recon/input ink | width>0.5 recon/input | width offset px | thinnest-width tenth px | "
              "ink range kept | share of ink in px>0.9, input -> recon")
        for w, m in zip(a.weights, models):
            r = m.decode(m.encode(x, y), y)
            wr, ir = tv_width(r), r.mean((1, 2))
            kept = ((ir[by_ink[-tenth:]].mean() - ir[by_ink[:tenth]].mean())
                    / (ii[by_ink[-tenth:]].mean() - ii[by_ink[:tenth]].mean()))
            core = lambda v: (v * (v > 0.9)).sum() / v.sum()
            print(f"{label(m, w):44s}{r.mean() / x.mean():.3f} | {binary_width(r).mean() / binary_width(x).mean():.3f} | "
                  f"{(wr - wi).mean():+.3f} | {wi[by_width[:tenth]].mean():.2f}->{wr[by_width[:tenth]].mean():.2f} | "
                  f"{kept:.3f} | {core(x):.2f} -> {core(r):.2f}")

    flat = X.reshape(len(X), -1)
    for path in a.notebook_reconstructions:
        L = luminance(path)
        as_value = lambda t: 1 - ungreys(t)  # plot_digits without inversion: 'Greys_r' of v
        first = as_value(read_tiles(L, MARGIN, MARGIN, SCALE, 2, 10)[0])
        found = [int(np.argmin(((flat - t.ravel()) ** 2).sum(1))) for t in first]
        fit, gx, gy, s = fit_grid(L, X[found], 0, 2, 10, as_value)
        t = as_value(read_tiles(L, gx, gy, s, 2, 10))
        wi, wr = tv_width(t[0]), tv_width(t[1])
        thin = np.argsort(wi)[:5]
        print(f"\n{path}: test digits {found} (correlation {fit:.4f})\n  recon/input ink {t[1].mean() / t[0].mean():.3f}, "
              f"width>0.5 recon/input {binary_width(t[1]).mean() / binary_width(t[0]).mean():.3f}, "
              f"thinner half {wi[thin].mean():.2f} -> {wr[thin].mean():.2f} px, "
              f"bolder half {np.delete(wi, thin).mean():.2f} -> {np.delete(wr, thin).mean():.2f} px")


if __name__ == "__main__":
    main()
