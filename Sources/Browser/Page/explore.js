"use strict";
// The explorer section (ExplorerSection.swift's markup) of both the report page and the studio:
// the latent explorer, draw-a-digit and a manifold of any label. The two pages differ only in who
// runs the networks, a backend:
//   latentDim, canRead            the code's size; whether an unlabelled drawing can be read
//   classNames                    optional: the labels' names (default MNIST's ten digits, "0"-"9")
//   side, channels                optional: the images' shape (default MNIST's 28 and 1); an image
//                                    is side x side x channels values, channels last
//   fitting                       optional: how one's own set fitted its pictures (config.json's
//                                    PictureFitting): { inverted, background: "black" | "white" |
//                                    null }; default not inverted, each picture on its own background
//   status                        the line shown once it is ready
//   decodeAll(z)                  -> Promise<{ digits, note }>: one code decoded with every label,
//                                    digits a Float32Array of (labels) x (one image) in 0...1
//   restyle(ink, w, h, label)     -> Promise<{ seen, digits, label, guess, confidence, note } | null>:
//                                    ink a Float32Array of w x h in 0...1, label null to read it;
//                                    null when nothing is drawn (grey 28x28 models: the board)
//   restyleImage(image, label)    -> Promise<{ digits, label, guess, confidence, note }>: an image
//                                    already fitted (fitPicture) restyled, label null to read it
//   decodeGrid(zs, labels)        -> Float32Array, optional: the manifold, where the backend can
// The report's backend is the page's own model (model.js, pageBackend below), started here; the
// studio's calls its server (studio.js) through window.VaeganExplorer.mount.
(() => {
  const GRID = 15, MAX_PICTURE_SIDE = 4096;  // ImageFile.maxSide: the largest picture a set reads
  const DIGITS = Array.from({ length: 10 }, (_, c) => String(c));
  // The labels' names and the images' shape of the backend mounted last (set by mount before its
  // parts are made).
  let NAMES = DIGITS, SIDE = 28, CHANNELS = 1, FITTING = null;
  const values = () => SIDE * SIDE * CHANNELS;
  // Grey 28x28 models keep the drawing board: a picture is drawn onto it and made into a digit as
  // MNIST's were (DigitPreparation); every other shape takes pictures fitted as its set was.
  const boardShape = () => SIDE === 28 && CHANNELS === 1;

  // The inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9):
  // the manifold's grid is the notebook's norm.ppf(linspace(0.05, 0.95, 15)).
  function ppf(p) {
    const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239];
    const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
    const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
    const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
    const tail = q => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
    if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
    const q = p - 0.5, r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const GRID_VALUES = Array.from({ length: GRID }, (_, i) => ppf(0.05 + 0.9 * i / (GRID - 1)));

  // Images as the films draw them (Surface.drawImage): grey ones as ink through 'Greys'
  // (VAEGAN_GREYS, GreyMap's table, which WebModel.explorerScript puts before this script), ink
  // dark on white; colour ones as they are.
  function paint(canvas, images, index = 0, x = 0, y = 0) {
    const ctx = canvas.getContext("2d"), image = ctx.createImageData(SIDE, SIDE), n = values();
    const byte = v => Math.round(255 * Math.min(1, Math.max(0, v)));
    for (let i = 0; i < SIDE * SIDE; i++) {
      const at = index * n + i * CHANNELS;
      if (CHANNELS === 1) { const v = VAEGAN_GREYS[byte(images[at])]; image.data.set([v, v, v, 255], 4 * i); }
      else image.data.set([byte(images[at]), byte(images[at + 1]), byte(images[at + 2]), 255], 4 * i);
    }
    ctx.putImageData(image, x, y);
  }

  // ---- a picture of one's own, fitted as the set's images were (Sources/OwnData) ----
  // A picture's RGBA bytes laid on black or white as ImageFile.read lays a PNG: on black where its
  // opaque pixels are light on average (ImageFile.inkNeedsBlack), else on white; or on the set's
  // `background` ("black" or "white") where its set chose one (RawSet.backgroundsMatched); each
  // channel a·c + (1 − a)·background rounded as PNGImage.rgb rounds it (pixman's MUL_UN8), then in
  // [0, 1]. Returns its values in `channels` channels: luminance (PNGImage.luminance) or R, G, B.
  function pictureValues(rgba, width, height, channels, background = null) {
    const mul = (a, c) => { const t = a * c + 0x80; return ((t >> 8) + t) >> 8; };
    const laid = (p, c, background) => Math.min(255, mul(rgba[4 * p + 3], rgba[4 * p + c]) + mul(background, 255 - rgba[4 * p + 3]));
    const luminance = (p, background) => (0.2126 * laid(p, 0, background) + 0.7152 * laid(p, 1, background) + 0.0722 * laid(p, 2, background)) / 255;
    const pixels = width * height;
    let colour = 0, opaque = 0, transparent = false;
    for (let p = 0; p < pixels; p++) {
      const white = luminance(p, 255), black = luminance(p, 0), alpha = 1 - (white - black);
      if (alpha < 0.99) transparent = true;
      if (alpha > 0.5) { colour += black / alpha; opaque++; }
    }
    const own = transparent && opaque > 0 && colour / opaque > 0.5 ? 0 : 255;
    const laidOn = background === "black" ? 0 : background === "white" ? 255 : own;
    const out = new Float32Array(pixels * channels);
    for (let p = 0; p < pixels; p++) {
      if (channels === 1) out[p] = luminance(p, laidOn);
      else for (let c = 0; c < 3; c++) out[3 * p + c] = laid(p, c, laidOn) / 255;
    }
    return out;
  }

  // Letterbox.fit (Sources/OwnData/SourceImage.swift), step for step: the image scaled so that its
  // longer side fills side x side without distortion, each output pixel the mean of the input area
  // it covers, centred, the rest the mean colour of the image's outermost pixels. Keep the two alike.
  function letterbox(values, width, height, channels, side) {
    if (width === side && height === side) return Float32Array.from(values);
    const round = v => Math.sign(v) * Math.round(Math.abs(v));  // half away from zero, as Swift's
    const scale = side / Math.max(width, height);
    const ow = Math.max(1, Math.min(side, round(width * scale))), oh = Math.max(1, Math.min(side, round(height * scale)));
    const border = new Array(channels).fill(0);
    let n = 0;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if (y === 0 || y === height - 1 || x === 0 || x === width - 1) {
          for (let c = 0; c < channels; c++) border[c] += values[(y * width + x) * channels + c];
          n++;
        }
    const out = new Float32Array(side * side * channels);
    for (let p = 0; p < side * side; p++) for (let c = 0; c < channels; c++) out[p * channels + c] = border[c] / Math.max(1, n);
    const ox = Math.floor((side - ow) / 2), oy = Math.floor((side - oh) / 2), sx = width / ow, sy = height / oh;
    const sum = new Array(channels);
    for (let i = 0; i < oh; i++) {
      const top = i * sy, bottom = top + sy;
      for (let j = 0; j < ow; j++) {
        const left = j * sx, right = left + sx;
        sum.fill(0);
        for (let y = Math.floor(top); y < Math.min(height, Math.ceil(bottom)); y++) {
          const wy = Math.min(bottom, y + 1) - Math.max(top, y);
          if (!(wy > 0)) continue;
          for (let x = Math.floor(left); x < Math.min(width, Math.ceil(right)); x++) {
            const wx = Math.min(right, x + 1) - Math.max(left, x);
            if (!(wx > 0)) continue;
            for (let c = 0; c < channels; c++) sum[c] += wx * wy * values[(y * width + x) * channels + c];
          }
        }
        for (let c = 0; c < channels; c++) out[((oy + i) * side + ox + j) * channels + c] = Math.min(1, Math.max(0, sum[c] / (sx * sy)));
      }
    }
    return out;
  }

  // A picture's RGBA bytes made into one image of a model's shape, as its set's images were made
  // (OwnDataset, ImageFile.fitted): laid on the set's background (`fitting`, the model's), fitted,
  // and then, where the set was inverted, each value v made 1 − v, in that order.
  function fitPicture(rgba, width, height, side, channels, fitting = null) {
    const f = fitting || {};
    const fitted = letterbox(pictureValues(rgba, width, height, channels, f.background), width, height, channels, side);
    if (f.inverted) for (let i = 0; i < fitted.length; i++) fitted[i] = 1 - fitted[i];
    return fitted;
  }

  // A picture file (any the browser decodes: PNG, JPEG, ...) as its RGBA bytes at its own size,
  // colours as the file holds them; rejects with one sentence for anything else.
  async function readPicture(file) {
    let bitmap;
    try { bitmap = await createImageBitmap(file, { colorSpaceConversion: "none", premultiplyAlpha: "none" }); } catch (e) {
      throw new Error("The file " + JSON.stringify(file.name || "") + " is not a picture this browser can read.");
    }
    const { width, height } = bitmap;
    if (width > MAX_PICTURE_SIDE || height > MAX_PICTURE_SIDE) {
      bitmap.close();
      throw new Error("The picture is " + width + "x" + height + " pixels; pictures up to " + MAX_PICTURE_SIDE + " pixels a side are read.");
    }
    const canvas = document.createElement("canvas");
    canvas.width = width; canvas.height = height;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    return { rgba: ctx.getImageData(0, 0, width, height).data, width, height };
  }

  function digitCanvases(container) {
    container.replaceChildren();
    return NAMES.map(name => {
      const figure = document.createElement("figure"), canvas = document.createElement("canvas");
      canvas.width = canvas.height = SIDE;
      canvas.setAttribute("aria-label", "label " + name);
      const caption = document.createElement("figcaption");
      caption.textContent = name;
      figure.append(canvas, caption);
      container.append(figure);
      return canvas;
    });
  }

  // Run `work` (which may wait on a server) at the next frame. Asks that come while it runs make
  // one more run after it: the last thing asked for is always drawn, and nothing queues up.
  function latest(work, onError) {
    let busy = false, again = false;
    const start = () => {
      busy = true; again = false;
      requestAnimationFrame(() => Promise.resolve().then(work).catch(onError).finally(() => {
        busy = false;
        if (again) start();
      }));
    };
    return () => { if (busy) again = true; else start(); };
  }

  function explorer(root, backend, fail) {
    const $ = selector => root.querySelector(selector);
    const latent = backend.latentDim, z = new Float32Array(latent);
    const axisX = $("#axis-x"), axisY = $("#axis-y"), pad = $("#pad"), sliders = $("#sliders"), note = $("#explore-note");
    for (const select of [axisX, axisY]) {
      for (let d = 0; d < latent; d++) select.add(new Option("z[" + d + "]", String(d)));
    }
    const axes = (root.dataset.axes || "0,1").split(",").map(Number);
    axisX.value = String(axes[0] < latent ? axes[0] : 0);
    axisY.value = String(axes[1] < latent && axes[1] !== axes[0] ? axes[1] : 1);
    const inputs = Array.from({ length: latent }, (_, d) => {
      const label = document.createElement("label"), input = document.createElement("input");
      input.type = "range"; input.min = "-3"; input.max = "3"; input.step = "0.01"; input.value = "0";
      input.addEventListener("input", () => { z[d] = Number(input.value); redraw(); });
      label.append("z[" + d + "] ", input);
      sliders.append(label);
      return input;
    });
    const canvases = digitCanvases($("#explore-digits"));
    async function decode() {
      drawPad();
      const answer = await backend.decodeAll(z.slice());
      canvases.forEach((canvas, c) => paint(canvas, answer.digits, c));
      note.textContent = answer.note;
    }
    const redraw = latest(decode, fail);
    function drawPad() {
      const ctx = pad.getContext("2d"), s = pad.width, x = Number(axisX.value), y = Number(axisY.value);
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, s, s);
      ctx.strokeStyle = "#d9dce1"; ctx.beginPath();
      ctx.moveTo(s / 2, 0); ctx.lineTo(s / 2, s); ctx.moveTo(0, s / 2); ctx.lineTo(s, s / 2); ctx.stroke();
      ctx.fillStyle = "#1f6feb"; ctx.beginPath();
      ctx.arc((z[x] + 3) / 6 * s, (z[y] + 3) / 6 * s, 6, 0, 2 * Math.PI); ctx.fill();
    }
    function fromPad(event) {
      const box = pad.getBoundingClientRect(), x = Number(axisX.value), y = Number(axisY.value);
      const clamp = v => Math.max(-3, Math.min(3, v));
      z[x] = clamp(((event.clientX - box.left) / box.width) * 6 - 3);
      z[y] = clamp(((event.clientY - box.top) / box.height) * 6 - 3);
      inputs[x].value = z[x].toFixed(2); inputs[y].value = z[y].toFixed(2);
      redraw();
    }
    pad.addEventListener("pointerdown", e => { pad.setPointerCapture(e.pointerId); fromPad(e); });
    pad.addEventListener("pointermove", e => { if (e.buttons) fromPad(e); });
    axisX.addEventListener("change", redraw);
    axisY.addEventListener("change", redraw);
    redraw();
    return { z, redraw, decode, axisX, axisY };
  }

  function drawing(root, backend, fail) {
    const $ = selector => root.querySelector(selector);
    const board = $("#draw"), ctx = board.getContext("2d"), labelSelect = $("#draw-label");
    const seen = $("#draw-seen"), guess = $("#draw-guess"), canvases = digitCanvases($("#draw-digits"));
    seen.width = seen.height = SIDE;
    NAMES.forEach((name, c) => labelSelect.add(new Option(name, String(c))));
    if (!backend.canRead) labelSelect.remove(0);  // no "read it" without a classifier
    // Only grey 28x28 models have the board; the others take pictures alone, and say so.
    root.classList.toggle("pictures-only", !boardShape());
    if (!boardShape()) {
      $("#draw-part h3").textContent = "Restyle your own picture";
      $("#draw-part h3 + p").textContent = "Drop a picture here (or choose one): it is fitted into " + SIDE + "x" + SIDE +
        " as the training images were (scaled without distortion, centred, the rest filled with its border's colour" +
        (FITTING && FITTING.inverted ? ", then turned round, dark made light, as they were), " : "), ") +
        (backend.canRead ? "read by the classifier (or given the class you choose), " : "given the class you choose, ") +
        "encoded, and redrawn as every class.";
    }
    const part = { strokes: 0, last: null, board, picture: null };
    function clear() {
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, board.width, board.height);
      guess.textContent = ""; part.strokes = 0; part.last = null;
    }
    const name = label => NAMES[label] === undefined ? String(label) : NAMES[label];
    function tell(answer) {
      const restyled = "estyled from " + name(answer.label) + (answer.note ? ", " + answer.note : "") + ".";
      guess.textContent = answer.guess === null ? "R" + restyled
        : "Read as " + name(answer.guess) + " (" + Math.round(100 * answer.confidence) + "%); r" + restyled;
    }
    // A picture file: on a grey 28x28 model laid on the board as ink (fitted into it, dark on
    // light read the other way round) and read as a drawing; on any other, fitted as the set's
    // images were, shown as the model sees it and restyled.
    async function usePicture(file) {
      const { rgba, width, height } = await readPicture(file);
      if (boardShape()) {
        const grey = letterbox(pictureValues(rgba, width, height, 1, FITTING && FITTING.background), width, height, 1, board.width);
        let edge = 0, n = 0;
        for (let k = 0; k < board.width; k++) for (const i of [k, (board.width - 1) * board.width + k, k * board.width, k * board.width + board.width - 1]) { edge += grey[i]; n++; }
        const darkOnLight = edge / n > 0.5, image = ctx.createImageData(board.width, board.height);
        for (let i = 0; i < grey.length; i++) {
          const v = Math.round(255 * (darkOnLight ? grey[i] : 1 - grey[i]));  // the board: ink is black
          image.data.set([v, v, v, 255], 4 * i);
        }
        ctx.putImageData(image, 0, 0);
        part.strokes++;
        return restyle();
      }
      const image = fitPicture(rgba, width, height, SIDE, CHANNELS, FITTING), strokes = part.strokes;
      const label = labelSelect.value === "auto" ? null : Number(labelSelect.value);
      part.picture = image;
      const answer = await backend.restyleImage(image, label);
      paint(seen, image);
      canvases.forEach((canvas, c) => paint(canvas, answer.digits, c));
      tell(answer);
      part.last = Object.assign(answer, { strokes, seen: image, picture: true });
      return part.last;
    }
    const chooser = $("#picture"), target = $("#draw-part");
    chooser.addEventListener("change", () => { if (chooser.files[0]) usePicture(chooser.files[0]).catch(fail); });
    target.addEventListener("dragover", e => { e.preventDefault(); target.classList.add("dropping"); });
    target.addEventListener("dragleave", () => target.classList.remove("dropping"));
    target.addEventListener("drop", e => {
      e.preventDefault(); target.classList.remove("dropping");
      const file = e.dataTransfer && e.dataTransfer.files[0];
      if (file) usePicture(file).catch(fail);
    });
    // What the board holds, as ink in 0...1, restyled by the backend.
    async function restyle() {
      const image = ctx.getImageData(0, 0, board.width, board.height).data, ink = new Float32Array(board.width * board.height);
      for (let i = 0; i < ink.length; i++) ink[i] = 1 - image[4 * i] / 255;
      const strokes = part.strokes, label = labelSelect.value === "auto" ? null : Number(labelSelect.value);
      const answer = await backend.restyle(ink, board.width, board.height, label);
      if (!answer) { guess.textContent = "Draw a digit first."; return; }
      paint(seen, answer.seen);
      canvases.forEach((canvas, c) => paint(canvas, answer.digits, c));
      tell(answer);
      part.last = Object.assign(answer, { strokes });
    }
    const request = latest(restyle, fail);
    const at = e => {
      const box = board.getBoundingClientRect();
      return [(e.clientX - box.left) * board.width / box.width, (e.clientY - box.top) * board.height / box.height];
    };
    let last = null;
    function line(from, to) {
      ctx.strokeStyle = "#000"; ctx.lineWidth = board.width / 10; ctx.lineCap = ctx.lineJoin = "round";
      ctx.beginPath(); ctx.moveTo(...from); ctx.lineTo(...to); ctx.stroke();
    }
    board.addEventListener("pointerdown", e => {
      board.setPointerCapture(e.pointerId);
      last = at(e);
      line(last, [last[0] + 0.01, last[1]]);  // a tap is a dot
    });
    board.addEventListener("pointermove", e => {
      if (!last) return;
      const point = at(e);
      line(last, point);
      last = point;
    });
    const end = () => { if (last) { last = null; part.strokes++; request(); } };
    board.addEventListener("pointerup", end);
    board.addEventListener("pointercancel", end);
    labelSelect.addEventListener("change", () => {
      if (!boardShape() && part.picture) {
        const image = part.picture, label = labelSelect.value === "auto" ? null : Number(labelSelect.value);
        backend.restyleImage(image, label).then(answer => {
          canvases.forEach((canvas, c) => paint(canvas, answer.digits, c));
          tell(answer);
          part.last = Object.assign(answer, { strokes: part.strokes, seen: image, picture: true });
        }).catch(fail);
      } else if (part.strokes) request();
    });
    $("#draw-clear").addEventListener("click", clear);
    clear();
    return Object.assign(part, { restyle, request, clear, usePicture });
  }

  function manifold(root, backend, explore) {
    const $ = selector => root.querySelector(selector);
    const select = $("#manifold-label"), canvas = $("#manifold"), note = $("#manifold-note");
    canvas.width = canvas.height = GRID * SIDE;
    NAMES.forEach((name, c) => select.add(new Option(name, String(c))));
    select.value = NAMES.length > 7 ? "7" : "0";
    let drawing = 0;
    // Row by row, a frame each, so that the page stays responsive; a new request stops the old.
    function draw() {
      const run = ++drawing, label = Number(select.value), latent = backend.latentDim;
      const x = Number(explore.axisX.value), y = Number(explore.axisY.value);
      note.textContent = "z[" + x + "] along each row, z[" + y + "] down the columns, the others as the explorer's.";
      return new Promise(done => {
        const row = r => {
          if (run !== drawing) return done(false);
          const zs = new Float32Array(GRID * latent);
          for (let c = 0; c < GRID; c++) {
            zs.set(explore.z, c * latent);
            zs[c * latent + x] = GRID_VALUES[c];
            zs[c * latent + y] = GRID_VALUES[r];
          }
          const digits = backend.decodeGrid(zs, new Array(GRID).fill(label));
          for (let c = 0; c < GRID; c++) paint(canvas, digits, c, c * SIDE, r * SIDE);
          if (r + 1 < GRID) requestAnimationFrame(() => row(r + 1)); else done(true);
        };
        row(0);
      });
    }
    $("#manifold-draw").addEventListener("click", draw);
    return { draw };
  }

  // Fill the section `root` for `backend`. Mounting again (the studio's run changed its code's
  // size) starts from the section's markup as the page brought it.
  function mount(root, backend) {
    if (root.pristine === undefined) root.pristine = root.innerHTML; else root.innerHTML = root.pristine;
    NAMES = Array.isArray(backend.classNames) && backend.classNames.length >= 2 ? backend.classNames.map(String) : DIGITS;
    SIDE = backend.side || 28; CHANNELS = backend.channels || 1; FITTING = backend.fitting || null;
    const status = root.querySelector(".explore-status");
    const fail = error => { status.textContent = error.message; root.classList.add("trouble"); };
    const wrapped = Object.assign({}, backend, {
      // A backend's answer clears an earlier trouble from the status line.
      decodeAll: z => backend.decodeAll(z).then(answer => { settle(); return answer; }),
      restyle: (...args) => backend.restyle(...args).then(answer => { settle(); return answer; }),
      restyleImage: (...args) => backend.restyleImage(...args).then(answer => { settle(); return answer; }),
    });
    function settle() {
      if (!root.classList.contains("trouble")) return;
      root.classList.remove("trouble");
      status.textContent = backend.status;
    }
    status.textContent = backend.status;
    root.classList.remove("broken", "trouble");
    root.classList.add("ready");
    const explore = explorer(root, wrapped, fail);
    const parts = { explore, drawing: drawing(root, wrapped, fail) };
    if (backend.decodeGrid && root.querySelector("#manifold")) parts.manifold = manifold(root, wrapped, explore);
    // A new model (the studio's next checkpoint): draw the code and the drawing again.
    parts.refresh = () => { explore.redraw(); if (parts.drawing.strokes) parts.drawing.request(); };
    return parts;
  }

  // The page's own model (model.js) as a backend.
  function pageBackend(model) {
    const latent = model.latentDim;
    const decodeAll = z => {
      const classes = model.classes, zs = new Float32Array(classes * latent);
      for (let c = 0; c < classes; c++) zs.set(z, c * latent);
      return model.decode(zs, Array.from({ length: classes }, (_, c) => c));
    };
    const read = image => {
      const probabilities = model.classify(image);
      const guess = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : null;
      return { guess, confidence: probabilities ? probabilities[guess] : null };
    };
    return {
      latentDim: latent, canRead: model.hasClassifier, classNames: model.classNames,
      side: model.side, channels: model.channels, fitting: model.fitting,
      status: "The model runs in this page (weights of iteration " + model.iteration + ").",
      async decodeAll(z) {
        const started = performance.now(), digits = decodeAll(z);
        return { digits, note: "Decoded in this page in " + (performance.now() - started).toFixed(0) + " ms." };
      },
      async restyle(ink, width, height, label) {
        const seen = model.prepare(ink, width, height);
        if (!seen) return null;
        const probabilities = model.classify(seen);
        const guess = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : null;
        const source = label === null ? guess : label;
        return {
          seen, digits: decodeAll(model.encode(seen, source)), label: source, guess,
          confidence: probabilities ? probabilities[guess] : null, note: null,
        };
      },
      async restyleImage(image, label) {
        const { guess, confidence } = read(image), source = label === null ? guess : label;
        return { digits: decodeAll(model.encode(image, source)), label: source, guess, confidence, note: null };
      },
      decodeGrid: (zs, labels) => model.decode(zs, labels),
    };
  }

  window.VaeganExplorer = { mount, pageBackend, fitPicture, pictureValues, letterbox, readPicture };

  // The report page, the one that loads model.js: its own model, once model.js has loaded the
  // weights beside the page. window.vaeganExplore.ready resolves to the mounted parts and the model
  // once the page can draw (the tests wait for it; .parts holds them then), or rejects with the
  // reason the page shows. Where model.js did not load at all, the page's own last script says so;
  // the studio loads no model.js and mounts the section itself.
  const root = document.getElementById("explore");
  if (!root || typeof VaeganModel === "undefined") return;
  const ready = VaeganModel.load().then(model => {
    const parts = Object.assign(mount(root, pageBackend(model)), { model });
    window.vaeganExplore.readyAt = performance.now();  // ms after the page began to load
    window.vaeganExplore.parts = parts;
    return parts;
  }, error => {
    root.querySelector(".explore-status").textContent = error.message;
    root.classList.add("broken");
    throw error;
  });
  ready.catch(() => {});  // shown in the page; not an unhandled rejection
  window.vaeganExplore = { ready };
})();
