"use strict";
// The explorer section (ExplorerSection.swift's markup) of both the report page and the studio:
// the latent explorer, draw-a-digit and a manifold of any label. The two pages differ only in who
// runs the networks, a backend:
//   latentDim, canRead            the code's size; whether an unlabelled drawing can be read
//   classNames                    optional: the labels' names (default MNIST's ten digits, "0"-"9")
//   status                        the line shown once it is ready
//   decodeAll(z)                  -> Promise<{ digits, note }>: one code decoded with every label,
//                                    digits a Float32Array of (labels) x 784 in 0...1
//   restyle(ink, w, h, label)     -> Promise<{ seen, digits, label, guess, confidence, note } | null>:
//                                    ink a Float32Array of w x h in 0...1, label null to read it;
//                                    null when nothing is drawn
//   decodeGrid(zs, labels)        -> Float32Array, optional: the manifold, where the backend can
// The report's backend is the page's own model (model.js, pageBackend below), started here; the
// studio's calls its server (studio.js) through window.VaeganExplorer.mount.
(() => {
  const SIDE = 28, PIXELS = SIDE * SIDE, GRID = 15;
  const DIGITS = Array.from({ length: 10 }, (_, c) => String(c));
  // The labels' names of the backend mounted last (set by mount before its parts are made).
  let NAMES = DIGITS;

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

  // Digits as the films draw them: the 'Greys' map, ink dark on white.
  function paint(canvas, digits, index = 0, x = 0, y = 0) {
    const ctx = canvas.getContext("2d"), image = ctx.createImageData(SIDE, SIDE);
    for (let i = 0; i < PIXELS; i++) {
      const v = Math.round(255 * (1 - Math.min(1, Math.max(0, digits[index * PIXELS + i]))));
      image.data.set([v, v, v, 255], 4 * i);
    }
    ctx.putImageData(image, x, y);
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
    NAMES.forEach((name, c) => labelSelect.add(new Option(name, String(c))));
    if (!backend.canRead) labelSelect.remove(0);  // no "read it" without a classifier
    const part = { strokes: 0, last: null, board };
    function clear() {
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, board.width, board.height);
      guess.textContent = ""; part.strokes = 0; part.last = null;
    }
    // What the board holds, as ink in 0...1, restyled by the backend.
    async function restyle() {
      const image = ctx.getImageData(0, 0, board.width, board.height).data, ink = new Float32Array(board.width * board.height);
      for (let i = 0; i < ink.length; i++) ink[i] = 1 - image[4 * i] / 255;
      const strokes = part.strokes, label = labelSelect.value === "auto" ? null : Number(labelSelect.value);
      const answer = await backend.restyle(ink, board.width, board.height, label);
      if (!answer) { guess.textContent = "Draw a digit first."; return; }
      paint(seen, answer.seen);
      canvases.forEach((canvas, c) => paint(canvas, answer.digits, c));
      const name = label => NAMES[label] === undefined ? String(label) : NAMES[label];
      const restyled = "estyled from " + name(answer.label) + (answer.note ? ", " + answer.note : "") + ".";
      guess.textContent = answer.guess === null ? "R" + restyled
        : "Read as " + name(answer.guess) + " (" + Math.round(100 * answer.confidence) + "%); r" + restyled;
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
    labelSelect.addEventListener("change", () => { if (part.strokes) request(); });
    $("#draw-clear").addEventListener("click", clear);
    clear();
    return Object.assign(part, { restyle, request, clear });
  }

  function manifold(root, backend, explore) {
    const $ = selector => root.querySelector(selector);
    const select = $("#manifold-label"), canvas = $("#manifold"), note = $("#manifold-note");
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
    const status = root.querySelector(".explore-status");
    const fail = error => { status.textContent = error.message; root.classList.add("trouble"); };
    const wrapped = Object.assign({}, backend, {
      // A backend's answer clears an earlier trouble from the status line.
      decodeAll: z => backend.decodeAll(z).then(answer => { settle(); return answer; }),
      restyle: (...args) => backend.restyle(...args).then(answer => { settle(); return answer; }),
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
    return {
      latentDim: latent, canRead: model.hasClassifier, classNames: model.classNames,
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
      decodeGrid: (zs, labels) => model.decode(zs, labels),
    };
  }

  window.VaeganExplorer = { mount, pageBackend };

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
