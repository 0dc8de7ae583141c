"use strict";
// The model in the page: window.VAEGAN_WEIGHTS (weights.js) checked and loaded into the
// WebAssembly kernels (VAEGAN_WASM, Sources/Browser/Page/model.c), composed into the encoder, the decoder and the
// digit classifier of docs/MODEL.md §2. VaeganModel.load() resolves to an object with
// decode(zs, labels), encode(image, label), classify(image) and prepare(ink, width, height),
// or rejects with one sentence a reader can act on. The model takes `classes` labels (MNIST's ten,
// or the classes of one's own set, 2 to 64), named by `classNames`, and images `side` pixels
// square of `channels` channels (weights.js's `side` and `channels`, MNIST's 28 and 1 where it
// names none): every shape below is derived from those two. `fitting` is how one's own set fitted
// its pictures (weights.js's, config.json's PictureFitting): { inverted, background }, background
// "black", "white" or null (each picture its own); not inverted and null where weights.js names none.
const VaeganModel = (() => {
  const SIDE = 28, PIXELS = SIDE * SIDE, DIGITS = 10;
  const ACT = { none: 0, leaky: 1, relu: 2 };

  function bytesOf(base64) {
    const text = atob(base64), out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }

  const CRC_TABLE = (() => {
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  })();

  function crc32(bytes) {
    let c = 0xffffffff;
    for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }

  // An IEEE half-precision bit pattern as a number (exact).
  function half(h) {
    const sign = h & 0x8000 ? -1 : 1, exponent = (h >> 10) & 0x1f, fraction = h & 0x3ff;
    if (exponent === 0) return sign * fraction * 2 ** -24;
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }

  // The shapes the networks need, for a latent size, a number of classes and images side x side
  // of `channels` channels: anything else in weights.js is refused. The encoder's and the
  // classifier's features are (side/4)^2 x 64 after their two halvings, the decoder's seed
  // (side/4)^2 x 128 (docs/MODEL.md §2; 3136 and 6272 at MNIST's 28).
  function expectedShapes(latent, classes, side, channels) {
    const cells = (side / 4) ** 2;
    return {
      "encoder.conv1.kernel": [3, 3, channels, 32], "encoder.conv1.bias": [32],
      "encoder.conv2.kernel": [3, 3, 32, 64], "encoder.conv2.bias": [64],
      "encoder.dense1.kernel": [cells * 64 + classes, 64], "encoder.dense1.bias": [64],
      "encoder.z_mean.kernel": [64, latent], "encoder.z_mean.bias": [latent],
      "decoder.dense1.kernel": [latent + classes, cells * 128], "decoder.dense1.bias": [cells * 128],
      "decoder.conv1.kernel": [5, 5, 128, 64], "decoder.conv1.bias": [64],
      "decoder.conv2.kernel": [3, 3, 64, 32], "decoder.conv2.bias": [32],
      "decoder.conv3.kernel": [5, 5, 32, channels], "decoder.conv3.bias": [channels],
    };
  }
  function classifierShapes(classes, side, channels) {
    return {
      "classifier.conv1.kernel": [3, 3, channels, 32], "classifier.conv1.bias": [32],
      "classifier.conv2.kernel": [3, 3, 32, 64], "classifier.conv2.bias": [64],
      "classifier.dense1.kernel": [(side / 4) ** 2 * 64, 128], "classifier.dense1.bias": [128],
      "classifier.dense2.kernel": [128, classes], "classifier.dense2.bias": [classes],
    };
  }

  // The weights as float arrays by name, after every check; throws one sentence otherwise.
  function checkedWeights(w) {
    const broken = why => new Error("The model's weights (weights.js) " + why + "; write the report again.");
    if (!w || typeof w !== "object") throw broken("are missing: weights.js did not load beside this page");
    if (w.format !== "vaegan-render web model 1") throw broken("are not in a format this page reads");
    if (!Number.isInteger(w.latentDim) || w.latentDim < 2 || w.latentDim > 256) throw broken("name no valid latent size");
    const classes = w.classes === undefined ? DIGITS : w.classes;
    if (!Number.isInteger(classes) || classes < 2 || classes > 64) throw broken("name no valid number of classes");
    const names = w.classNames === undefined ? Array.from({ length: classes }, (_, c) => String(c)) : w.classNames;
    if (!Array.isArray(names) || names.length !== classes || !names.every(n => typeof n === "string" && n.length > 0 && n.length <= 64)) {
      throw broken("name their classes wrongly");
    }
    // The images' shape (DataDescription: a multiple of 4 from 16 to 64, grey or colour).
    const side = w.side === undefined ? SIDE : w.side, channels = w.channels === undefined ? 1 : w.channels;
    if (!Number.isInteger(side) || side < 16 || side > 64 || side % 4 !== 0) throw broken("name no valid image side");
    if (channels !== 1 && channels !== 3) throw broken("name no valid number of channels");
    const f = w.fitting === undefined ? { inverted: false } : w.fitting;
    if (!f || typeof f !== "object" || typeof f.inverted !== "boolean" || ![undefined, "black", "white"].includes(f.background)) {
      throw broken("say wrongly how pictures are fitted");
    }
    const fitting = { inverted: f.inverted, background: f.background === undefined ? null : f.background };
    if (!Number.isInteger(w.count) || typeof w.data !== "string" || !Array.isArray(w.tensors)) throw broken("are incomplete");
    let bytes;
    try { bytes = bytesOf(w.data); } catch (e) { throw broken("are damaged (not base64)"); }
    if (bytes.length !== 2 * w.count) throw broken("are truncated or padded (" + bytes.length + " bytes, expected " + 2 * w.count + ")");
    if (crc32(bytes).toString(16) !== w.crc32) throw broken("are damaged (their checksum does not match)");
    const halves = new Uint16Array(w.count);
    for (let i = 0; i < w.count; i++) halves[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
    const expected = expectedShapes(w.latentDim, classes, side, channels);
    const hasClassifier = w.tensors.some(t => t && String(t.name).startsWith("classifier."));
    if (hasClassifier) Object.assign(expected, classifierShapes(classes, side, channels));
    const out = {};
    for (const t of w.tensors) {
      const shape = expected[t && t.name];
      if (!shape) continue;
      if (JSON.stringify(t.shape) !== JSON.stringify(shape)) throw broken("give " + t.name + " the wrong shape");
      const size = shape.reduce((a, b) => a * b, 1);
      if (!Number.isInteger(t.offset) || t.offset < 0 || t.offset + size > w.count) throw broken("place " + t.name + " outside their data");
      const values = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        values[i] = half(halves[t.offset + i]);
        if (!Number.isFinite(values[i])) throw broken("hold a value that is not a finite number in " + t.name);
      }
      out[t.name] = values;
    }
    for (const name of Object.keys(expected)) if (!out[name]) throw broken("lack " + name);
    return { tensors: out, hasClassifier, classes, classNames: names, side, channels, fitting };
  }

  async function load(weights = window.VAEGAN_WEIGHTS) {
    const kernels = bytesOf(VAEGAN_WASM);
    if (typeof WebAssembly !== "object" || !WebAssembly.validate(kernels)) {
      throw new Error("This browser cannot run the model (it needs WebAssembly with SIMD, as in current Chrome, Firefox and Safari); the films and pictures above still show.");
    }
    const { tensors, hasClassifier, classes: CLASSES, classNames, side: S, channels: C, fitting } = checkedWeights(weights);
    const latent = weights.latentDim;
    // The layers' sides: S, S/2 and S/4 (7, 14 and 28 at MNIST's); an image is S x S x C values.
    const H = S / 2, Q = S / 4, CELLS = Q * Q, VALUES = S * S * C;
    const { instance } = await WebAssembly.instantiate(kernels, {});
    const k = instance.exports;
    const F = () => new Float32Array(k.memory.buffer);  // the memory may grow: take a fresh view
    const put = values => { const p = k.alloc(values.length * 4); F().set(values, p / 4); return p; };
    const w = {};
    for (const name of Object.keys(tensors)) w[name] = put(tensors[name]);
    const folded = k.alloc(36 * 128 * 64 * 4);
    k.fold_upsampled_5x5(w["decoder.conv1.kernel"], 128, 64, folded);
    const base = k.alloc(0);  // scratch above here is released after each call

    function scratch(count) {
      const p = k.alloc(count * 4);
      if (!p) throw new Error("The page ran out of memory for the model.");
      return p;
    }

    // n codes (n x latent) with their labels -> n images, S x S x C values in [0, 1] each.
    function decode(zs, labels) {
      const n = labels.length;
      try {
        const input = scratch(n * (latent + CLASSES)), m = F();
        for (let i = 0; i < n; i++) {
          const row = input / 4 + i * (latent + CLASSES);
          for (let d = 0; d < latent; d++) m[row + d] = zs[i * latent + d];
          for (let c = 0; c < CLASSES; c++) m[row + latent + c] = c === labels[i] ? 1 : 0;
        }
        const h1 = scratch(n * CELLS * 128), h2 = scratch(n * H * H * 64), h3 = scratch(n * H * H * 32);
        const h4 = scratch(n * S * S * 32), out = scratch(n * VALUES);
        k.dense(input, n, latent + CLASSES, w["decoder.dense1.kernel"], w["decoder.dense1.bias"], CELLS * 128, h1, ACT.leaky);
        k.conv_upsampled_5x5(h1, n, Q, Q, 128, folded, w["decoder.conv1.bias"], 64, h2, ACT.leaky);
        k.conv(h2, n, H, H, 64, w["decoder.conv2.kernel"], w["decoder.conv2.bias"], 3, 3, 32, 1, h3, ACT.leaky);
        k.upsample2(h3, n, H, H, 32, h4);
        k.conv(h4, n, S, S, 32, w["decoder.conv3.kernel"], w["decoder.conv3.bias"], 5, 5, C, 1, out, ACT.none);
        k.sigmoid(out, n * VALUES);
        return F().slice(out / 4, out / 4 + n * VALUES);
      } finally { k.release(base); }
    }

    // One image (S x S x C values in [0, 1]) of `label` -> its z_mean.
    function encode(image, label) {
      if (image.length !== VALUES) throw new Error("The model takes images of " + VALUES + " values, not " + image.length + ".");
      try {
        const x = put(image), h1 = scratch(H * H * 32), h2 = scratch(CELLS * 32), h3 = scratch(CELLS * 64 + CLASSES);
        const h4 = scratch(64), z = scratch(latent);
        k.conv(x, 1, S, S, C, w["encoder.conv1.kernel"], w["encoder.conv1.bias"], 3, 3, 32, 2, h1, ACT.leaky);
        k.maxpool2(h1, 1, H, H, 32, h2);
        k.conv(h2, 1, Q, Q, 32, w["encoder.conv2.kernel"], w["encoder.conv2.bias"], 3, 3, 64, 1, h3, ACT.leaky);
        const m = F();
        for (let c = 0; c < CLASSES; c++) m[h3 / 4 + CELLS * 64 + c] = c === label ? 1 : 0;
        k.dense(h3, 1, CELLS * 64 + CLASSES, w["encoder.dense1.kernel"], w["encoder.dense1.bias"], 64, h4, ACT.leaky);
        k.dense(h4, 1, 64, w["encoder.z_mean.kernel"], w["encoder.z_mean.bias"], latent, z, ACT.none);
        return F().slice(z / 4, z / 4 + latent);
      } finally { k.release(base); }
    }

    // One image -> the classifier's probability of each class (null without a classifier).
    function classify(image) {
      if (!hasClassifier) return null;
      try {
        const x = put(image), c1 = scratch(S * S * 32), p1 = scratch(H * H * 32), c2 = scratch(H * H * 64);
        const p2 = scratch(CELLS * 64), f = scratch(128), logits = scratch(CLASSES);
        k.conv(x, 1, S, S, C, w["classifier.conv1.kernel"], w["classifier.conv1.bias"], 3, 3, 32, 1, c1, ACT.relu);
        k.maxpool2(c1, 1, S, S, 32, p1);
        k.conv(p1, 1, H, H, 32, w["classifier.conv2.kernel"], w["classifier.conv2.bias"], 3, 3, 64, 1, c2, ACT.relu);
        k.maxpool2(c2, 1, H, H, 64, p2);
        k.dense(p2, 1, CELLS * 64, w["classifier.dense1.kernel"], w["classifier.dense1.bias"], 128, f, ACT.relu);
        k.dense(f, 1, 128, w["classifier.dense2.kernel"], w["classifier.dense2.bias"], CLASSES, logits, ACT.none);
        const l = Array.from(F().slice(logits / 4, logits / 4 + CLASSES)), top = Math.max(...l);
        const e = l.map(v => Math.exp(v - top)), sum = e.reduce((a, b) => a + b, 0);
        return e.map(v => v / sum);
      } finally { k.release(base); }
    }

    return {
      latentDim: latent, iteration: weights.iteration, variant: weights.variant, madeBy: weights.madeBy,
      classes: CLASSES, classNames, side: S, channels: C, fitting, hasClassifier, decode, encode, classify, prepare,
    };
  }

  // A drawing (width x height values in [0, 1], 1 = ink) made into a 28x28 digit the way MNIST's
  // were: the ink's box scaled to fit 20x20 with a box filter, centred by its centre of mass.
  // The same steps as the program's DigitPreparation; null for an empty drawing.
  function prepare(ink, width, height) {
    const BOX = 20, THRESHOLD = 0.05;
    const round = v => Math.sign(v) * Math.round(Math.abs(v));  // half away from zero, as Swift's
    let x0 = width, x1 = -1, y0 = height, y1 = -1;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if (ink[y * width + x] > THRESHOLD) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    if (x1 < 0) return null;
    const bw = x1 - x0 + 1, bh = y1 - y0 + 1, scale = BOX / Math.max(bw, bh);
    const ow = Math.max(1, Math.min(BOX, round(bw * scale))), oh = Math.max(1, Math.min(BOX, round(bh * scale)));
    const sx = bw / ow, sy = bh / oh, scaled = new Float32Array(ow * oh);
    for (let i = 0; i < oh; i++) {
      const top = i * sy, bottom = top + sy;
      for (let j = 0; j < ow; j++) {
        const left = j * sx, right = left + sx;
        let sum = 0;
        for (let y = Math.floor(top); y < Math.min(bh, Math.ceil(bottom)); y++) {
          const wy = Math.min(bottom, y + 1) - Math.max(top, y);
          if (wy <= 0) continue;
          for (let x = Math.floor(left); x < Math.min(bw, Math.ceil(right)); x++) {
            const wx = Math.min(right, x + 1) - Math.max(left, x);
            if (wx > 0) sum += wx * wy * ink[(y0 + y) * width + x0 + x];
          }
        }
        scaled[i * ow + j] = Math.min(1, Math.max(0, sum / (sx * sy)));
      }
    }
    let mass = 0, mx = 0, my = 0;
    for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) { const v = scaled[i * ow + j]; mass += v; mx += v * j; my += v * i; }
    const dx = round(SIDE / 2 - mx / mass), dy = round(SIDE / 2 - my / mass);
    const ox = Math.min(Math.max(dx, 0), SIDE - ow), oy = Math.min(Math.max(dy, 0), SIDE - oh);
    const out = new Float32Array(PIXELS);
    for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) out[(oy + i) * SIDE + ox + j] = scaled[i * ow + j];
    return out;
  }

  return { load, prepare, checkedWeights, SIDE, PIXELS };
})();
