"use strict";
// The report page's own model at work (model.js): the latent explorer, draw-a-digit and a
// manifold of any label, all computed in the page, offline. window.vaeganExplore.ready resolves
// to the loaded model once the page can draw (the tests wait for it), or rejects with the reason
// the page shows.
(() => {
  const root = document.getElementById("explore");
  if (!root) return;
  const $ = selector => root.querySelector(selector);
  const status = $(".explore-status");
  const SIDE = 28, PIXELS = SIDE * SIDE, CLASSES = 10, GRID = 15;

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
    return Array.from({ length: CLASSES }, (_, label) => {
      const figure = document.createElement("figure"), canvas = document.createElement("canvas");
      canvas.width = canvas.height = SIDE;
      canvas.setAttribute("aria-label", "digit " + label);
      const caption = document.createElement("figcaption");
      caption.textContent = String(label);
      figure.append(canvas, caption);
      container.append(figure);
      return canvas;
    });
  }

  // Run `work` at the next frame, at most once per frame whatever asks for it meanwhile.
  function scheduler(work) {
    let pending = false;
    return () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; work(); });
    };
  }

  function explorer(model) {
    const latent = model.latentDim, z = new Float32Array(latent);
    const axisX = $("#axis-x"), axisY = $("#axis-y"), pad = $("#pad"), sliders = $("#sliders");
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
    const redraw = scheduler(() => {
      const zs = new Float32Array(CLASSES * latent);
      for (let c = 0; c < CLASSES; c++) zs.set(z, c * latent);
      const digits = model.decode(zs, Array.from({ length: CLASSES }, (_, c) => c));
      canvases.forEach((canvas, c) => paint(canvas, digits, c));
      drawPad();
    });
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
    return { z, redraw, axisX, axisY };
  }

  function drawing(model) {
    const board = $("#draw"), ctx = board.getContext("2d"), labelSelect = $("#draw-label");
    const seen = $("#draw-seen"), guess = $("#draw-guess"), canvases = digitCanvases($("#draw-digits"));
    for (let c = 0; c < CLASSES; c++) labelSelect.add(new Option(String(c), String(c)));
    if (!model.hasClassifier) labelSelect.remove(0);  // no "read it" without a classifier
    ctx.lineCap = ctx.lineJoin = "round";
    function clear() { ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, board.width, board.height); guess.textContent = ""; }
    function restyle() {
      const image = ctx.getImageData(0, 0, board.width, board.height).data, ink = new Float32Array(board.width * board.height);
      for (let i = 0; i < ink.length; i++) ink[i] = 1 - image[4 * i] / 255;
      const digit = model.prepare(ink, board.width, board.height);
      if (!digit) { guess.textContent = "Draw a digit first."; return; }
      paint(seen, digit);
      const probabilities = model.classify(digit);
      const label = labelSelect.value === "auto" ? probabilities.indexOf(Math.max(...probabilities)) : Number(labelSelect.value);
      guess.textContent = probabilities
        ? "Read as " + probabilities.indexOf(Math.max(...probabilities)) + " (" + Math.round(100 * Math.max(...probabilities)) + "%); restyled from " + label + "."
        : "Restyled from " + label + ".";
      const z = model.encode(digit, label), zs = new Float32Array(CLASSES * model.latentDim);
      for (let c = 0; c < CLASSES; c++) zs.set(z, c * model.latentDim);
      const digits = model.decode(zs, Array.from({ length: CLASSES }, (_, c) => c));
      canvases.forEach((canvas, c) => paint(canvas, digits, c));
    }
    let last = null;
    board.addEventListener("pointerdown", e => {
      board.setPointerCapture(e.pointerId);
      const box = board.getBoundingClientRect();
      last = [(e.clientX - box.left) * board.width / box.width, (e.clientY - box.top) * board.height / box.height];
    });
    board.addEventListener("pointermove", e => {
      if (!last) return;
      const box = board.getBoundingClientRect();
      const point = [(e.clientX - box.left) * board.width / box.width, (e.clientY - box.top) * board.height / box.height];
      ctx.strokeStyle = "#000"; ctx.lineWidth = board.width / 10;
      ctx.beginPath(); ctx.moveTo(...last); ctx.lineTo(...point); ctx.stroke();
      last = point;
    });
    const end = () => { if (last) { last = null; restyle(); } };
    board.addEventListener("pointerup", end);
    board.addEventListener("pointercancel", end);
    labelSelect.addEventListener("change", restyle);
    $("#draw-clear").addEventListener("click", clear);
    clear();
    return { restyle, clear, board };
  }

  function manifold(model, explore) {
    const select = $("#manifold-label"), canvas = $("#manifold"), note = $("#manifold-note");
    for (let c = 0; c < CLASSES; c++) select.add(new Option(String(c), String(c)));
    select.value = "7";
    let drawing = 0;
    // Row by row, a frame each, so that the page stays responsive; a new request stops the old.
    function draw() {
      const run = ++drawing, label = Number(select.value), latent = model.latentDim;
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
          const digits = model.decode(zs, new Array(GRID).fill(label));
          for (let c = 0; c < GRID; c++) paint(canvas, digits, c, c * SIDE, r * SIDE);
          if (r + 1 < GRID) requestAnimationFrame(() => row(r + 1)); else done(true);
        };
        row(0);
      });
    }
    $("#manifold-draw").addEventListener("click", draw);
    return { draw };
  }

  window.vaeganExplore = {
    ready: VaeganModel.load().then(model => {
      const explore = explorer(model);
      const parts = { model, explore, drawing: drawing(model), manifold: manifold(model, explore) };
      status.textContent = "The model runs in this page (weights of iteration " + model.iteration + ").";
      window.vaeganExplore.readyAt = performance.now();  // ms after the page began to load
      root.classList.add("ready");
      return parts;
    }, error => {
      status.textContent = error.message;
      root.classList.add("broken");
      throw error;
    }),
  };
  window.vaeganExplore.ready.catch(() => {});  // shown in the page; not an unhandled rejection
})();
