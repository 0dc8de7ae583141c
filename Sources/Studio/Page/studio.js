"use strict";
// The studio's page script (StudioPage inlines it into studio.html). Everything it shows comes from
// the studio's own API (Routes.swift); window.studio exposes what it last drew, for the browser tests.
const $ = (id) => document.getElementById(id);
// A digit's side and a manifold grid's side in pixels, as the server wrote them into the page.
const DIGIT = Number(document.body.dataset.digitSide), GRID = Number(document.body.dataset.gridSide);
const studio = window.studio = { state: null, snapshotIteration: -1, lastDecode: null, lastRestyle: null, decodes: 0 };
const bytesOf = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
function say(text) { $("message").textContent = text || ""; }

// A grey image (0 = paper, 255 = ink) drawn as the notebook's 'Greys' map: ink is black.
function drawGrey(canvas, bytes, side, offset = 0) {
  canvas.width = side; canvas.height = side;
  const ctx = canvas.getContext("2d"), img = ctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const v = 255 - bytes[offset + i];
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v; img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
function digitRow(container, count, prefix) {
  container.innerHTML = "";
  for (let k = 0; k < count; k++) {
    const f = document.createElement("figure");
    f.innerHTML = `<canvas id="${prefix}-${k}" width="${DIGIT}" height="${DIGIT}"></canvas><figcaption>${k}</figcaption>`;
    container.appendChild(f);
  }
}
for (let k = 0; k < 10; k++) {
  const f = document.createElement("figure");
  f.innerHTML = `<canvas id="grid-${k}" width="${GRID}" height="${GRID}"></canvas><figcaption>Label: ${k}</figcaption>`;
  $("grids").appendChild(f);
  $("label").insertAdjacentHTML("beforeend", `<option value="${k}">${k}</option>`);
}
digitRow($("decoded"), 10, "decoded");
digitRow($("restyled"), 10, "restyled");

// ---- live state, pushed by the server ----
function applyState(s) {
  studio.state = s;
  $("title").textContent = "vaegan-render studio: " + s.run;
  const c = s.config;
  $("settings").textContent = c ? `${c.model}${c.model === "cvae-gan" ? " (" + c.variant + ")" : ""}, latent ${c.latentDim}, batch ${c.batchSize}, seed ${c.seed}, ${c.iterations} iterations` : (s.waiting || "");
  const t = s.training, status = $("status");
  const kind = t ? t.state : (c ? "idle" : "waiting");
  status.className = "pill " + (kind === "training" ? "live" : kind);
  status.textContent = kind === "training" ? "training now" : kind;
  if (t) {
    $("progress-text").textContent = `iteration ${t.iteration} of ${t.total}` + (t.live ? ` · ${t.rate.toFixed(2)} it/s · ETA ${t.eta || "--"}` : "") + ` · ${t.snapshots} snapshots`;
    $("progress-bar").style.width = (100 * t.iteration / Math.max(1, t.total)).toFixed(1) + "%";
  } else if (s.snapshot && c) {
    $("progress-text").textContent = `iteration ${s.snapshot.iteration} of ${c.iterations} (not training now)`;
    $("progress-bar").style.width = (100 * s.snapshot.iteration / Math.max(1, c.iterations)).toFixed(1) + "%";
  }
  if (s.snapshot && s.snapshot.iteration !== studio.snapshotIteration) loadSnapshot();
  if (s.losses) drawLosses(s.losses);
  const article = s.articleModel;
  const dims = c ? c.latentDim : (article ? article.latentDim : 0);
  if (dims && latentDim !== dims) buildSliders(dims);
  if (article) say(`No checkpoint in this run yet: the explorer and the drawing use the article's model (the figure run's weights, iteration ${article.iteration}).`);
  const stamp = s.checkpoint ? s.checkpoint.stamp : (article ? "article-" + article.iteration : null);
  if (!stamp) $("decode-caption").textContent = "The model draws here once train-and-record has written its first checkpoint.";
  if (stamp && stamp !== studio.checkpointStamp) { studio.checkpointStamp = stamp; requestDecode(); if (strokes) requestRestyle(); }
  showReport(s.report || []);
  if (s.problems) say(s.problems.join(" "));
}
async function loadSnapshot() {
  const r = await fetch("/api/snapshot", { cache: "no-store" });
  if (!r.ok) return;
  const iteration = +r.headers.get("X-Iteration"), side = +r.headers.get("X-Grid-Size");
  const bytes = new Uint8Array(await r.arrayBuffer());
  for (let k = 0; k < 10; k++) drawGrey($("grid-" + k), bytes, side, k * side * side);
  studio.snapshotIteration = iteration;
  $("snapshot-caption").textContent = `Latest snapshot: Batch: ${iteration} (${studio.state.snapshot.count} so far)`;
}
function drawLosses(l) {
  const cv = $("losses"), ctx = cv.getContext("2d"), W = cv.width, H = cv.height, L = 52, B = 28;
  ctx.clearRect(0, 0, W, H);
  const series = [["L_prior", l.prior, "#1f77b4"], [studio.state.config.model === "cvae" ? "L_rec" : "L_dis_llike", l.reconstruction, "#ff7f0e"]];
  if (l.gan) series.push(["L_GAN", l.gan, "#2ca02c"]);
  const all = series.flatMap((s) => s[1]).filter((v) => v > 0 && isFinite(v));
  if (!all.length) return;
  const lo = Math.floor(Math.log10(Math.min(...all))), hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...all))));
  const x0 = l.iteration[0], x1 = Math.max(x0 + 1, l.iteration[l.iteration.length - 1]);
  const X = (i) => L + (W - L - 10) * (i - x0) / (x1 - x0), Y = (v) => H - B - (H - B - 10) * (Math.log10(v) - lo) / (hi - lo);
  ctx.strokeStyle = "#d8dde3"; ctx.fillStyle = "#5b6570"; ctx.font = "11px sans-serif"; ctx.lineWidth = 1;
  for (let e = lo; e <= hi; e++) { ctx.beginPath(); ctx.moveTo(L, Y(10 ** e)); ctx.lineTo(W - 10, Y(10 ** e)); ctx.stroke(); ctx.fillText("1e" + e, 8, Y(10 ** e) + 4); }
  ctx.fillText("iteration " + x0, L, H - 8); ctx.fillText(String(x1), W - 40, H - 8);
  series.forEach(([name, values, colour], k) => {
    ctx.strokeStyle = colour; ctx.lineWidth = 1.5; ctx.beginPath();
    values.forEach((v, i) => { if (v > 0) ctx.lineTo(X(l.iteration[i]), Y(v)); });
    ctx.stroke(); ctx.fillStyle = colour; ctx.fillText(name, L + 10 + 90 * k, 14);
  });
  $("losses-caption").textContent = `Losses per iteration (log scale), up to iteration ${x1}.`;
}

// ---- latent explorer: never more than one request waits behind the one in flight ----
let latentDim = 0, z = [], inFlight = false, pending = false;
const R = 3;
function buildSliders(d) {
  latentDim = d; z = new Array(d).fill(0);
  const box = $("sliders"); box.innerHTML = "";
  for (let j = 2; j < d; j++) {
    box.insertAdjacentHTML("beforeend", `<label for="z${j}">z[${j}]</label><input type="range" id="z${j}" min="-${R}" max="${R}" step="0.01" value="0"><span id="zv${j}">0.00</span>`);
    $("z" + j).addEventListener("input", (e) => { z[j] = +e.target.value; $("zv" + j).textContent = z[j].toFixed(2); requestDecode(); });
  }
  drawPad();
}
function drawPad() {
  const cv = $("pad"), ctx = cv.getContext("2d"), W = cv.width;
  ctx.fillStyle = "#fbfcfd"; ctx.fillRect(0, 0, W, W);
  ctx.strokeStyle = "#e1e5ea";
  for (let v = -R; v <= R; v++) { const p = (v + R) / (2 * R) * W; ctx.beginPath(); ctx.moveTo(p, 0); ctx.lineTo(p, W); ctx.moveTo(0, p); ctx.lineTo(W, p); ctx.stroke(); }
  ctx.strokeStyle = "#9aa5b1"; ctx.beginPath(); ctx.arc(W / 2, W / 2, 1.645 / (2 * R) * W, 0, 2 * Math.PI); ctx.stroke();
  const px = (z[0] + R) / (2 * R) * W, py = (R - z[1]) / (2 * R) * W;
  ctx.fillStyle = "#2f6fdf"; ctx.beginPath(); ctx.arc(px, py, 7, 0, 2 * Math.PI); ctx.fill();
  ctx.fillStyle = "#5b6570"; ctx.font = "11px sans-serif"; ctx.fillText(`z[0] ${z[0].toFixed(2)}  z[1] ${z[1].toFixed(2)}`, 6, W - 8);
}
function padMove(e) {
  const r = $("pad").getBoundingClientRect();
  z[0] = Math.max(-R, Math.min(R, ((e.clientX - r.left) / r.width) * 2 * R - R));
  z[1] = Math.max(-R, Math.min(R, R - ((e.clientY - r.top) / r.height) * 2 * R));
  drawPad(); requestDecode();
}
$("pad").addEventListener("pointerdown", (e) => { $("pad").setPointerCapture(e.pointerId); padMove(e); });
$("pad").addEventListener("pointermove", (e) => { if (e.buttons) padMove(e); });
async function requestDecode() {
  if (!latentDim || !studio.checkpointStamp) return;
  if (inFlight) { pending = true; return; }
  inFlight = true; pending = false;
  const started = performance.now(), sent = z.slice();
  try {
    const r = await fetch("/api/decode", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ z: sent }) });
    const out = await r.json();
    if (!r.ok) { say(out.error); return; }
    out.digits.forEach((d, k) => drawGrey($("decoded-" + k), bytesOf(d), DIGIT));
    studio.lastDecode = out; studio.lastDecodeZ = sent; studio.decodes++;
    $("decode-caption").textContent = `Weights of iteration ${out.iteration} · decoded in ${out.serverMs.toFixed(1)} ms on the server, ${(performance.now() - started).toFixed(0)} ms round trip`;
    say("");
  } catch (e) { say("decode: " + e.message); }
  finally { inFlight = false; if (pending) requestDecode(); }
}

// ---- draw a digit ----
const board = $("board"), pen = board.getContext("2d");
let strokes = 0, drawing = false, restyleBusy = false, restyleAgain = false;
function clearBoard() { pen.fillStyle = "#fff"; pen.fillRect(0, 0, board.width, board.height); strokes = 0; }
clearBoard();
function at(e) { const r = board.getBoundingClientRect(); return [(e.clientX - r.left) * board.width / r.width, (e.clientY - r.top) * board.height / r.height]; }
board.addEventListener("pointerdown", (e) => {
  board.setPointerCapture(e.pointerId); drawing = true;
  pen.lineWidth = 20; pen.lineCap = pen.lineJoin = "round"; pen.strokeStyle = "#000";
  const [x, y] = at(e); pen.beginPath(); pen.moveTo(x, y); pen.lineTo(x + 0.01, y); pen.stroke();
});
board.addEventListener("pointermove", (e) => { if (!drawing) return; const [x, y] = at(e); pen.lineTo(x, y); pen.stroke(); });
board.addEventListener("pointerup", () => { if (!drawing) return; drawing = false; strokes++; requestRestyle(); });
$("clear").addEventListener("click", () => { clearBoard(); studio.lastRestyle = null; $("guess").textContent = ""; });
$("label").addEventListener("change", () => { if (strokes) requestRestyle(); });
function drawingPayload() {
  const side = 140, small = document.createElement("canvas"); small.width = small.height = side;
  const ctx = small.getContext("2d"); ctx.imageSmoothingEnabled = true; ctx.imageSmoothingQuality = "high";
  ctx.drawImage(board, 0, 0, side, side);
  const px = ctx.getImageData(0, 0, side, side).data, ink = new Uint8Array(side * side);
  for (let i = 0; i < ink.length; i++) ink[i] = 255 - px[4 * i];
  let text = ""; for (let i = 0; i < ink.length; i += 4096) text += String.fromCharCode.apply(null, ink.subarray(i, i + 4096));
  const label = $("label").value;
  return { width: side, height: side, ink: btoa(text), label: label === "" ? null : +label, strokes };
}
async function requestRestyle() {
  if (!studio.checkpointStamp) { say("No checkpoint yet: the model cannot draw until train-and-record writes one."); return; }
  if (restyleBusy) { restyleAgain = true; return; }
  restyleBusy = true; restyleAgain = false;
  try {
    const payload = drawingPayload();
    const r = await fetch("/api/restyle", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
    const out = await r.json();
    if (!r.ok) { say(out.error); return; }
    drawGrey($("seen"), bytesOf(out.digit), DIGIT);
    out.digits.forEach((d, k) => drawGrey($("restyled-" + k), bytesOf(d), DIGIT));
    const p = out.probabilities;
    $("guess").textContent = (p ? `The classifier reads a ${out.guess} (${(100 * p[out.guess]).toFixed(0)}%). ` : "") + `Encoded as a ${out.label}, with the weights of iteration ${out.iteration}.`;
    studio.lastRestyle = Object.assign(out, { strokes: payload.strokes }); say("");
  } catch (e) { say("restyle: " + e.message); }
  finally { restyleBusy = false; if (restyleAgain) requestRestyle(); }
}

// ---- the report's films and sheets, where they exist ----
let reportShown = "";
function showReport(items) {
  const key = JSON.stringify(items);
  if (key === reportShown) return;
  reportShown = key;
  $("report").hidden = items.length === 0;
  const box = $("report-items"); box.innerHTML = "";
  const sections = [...new Set(items.map((i) => i.section))];
  for (const name of sections) {
    box.insertAdjacentHTML("beforeend", `<h3 class="muted">${name}</h3>`);
    const g = document.createElement("div"); g.className = "gallery";
    for (const item of items.filter((i) => i.section === name)) {
      const f = document.createElement("figure"); f.style.margin = "0";
      const media = document.createElement(item.file.endsWith(".mp4") ? "video" : "img");
      media.src = "/files/" + item.file.split("/").map(encodeURIComponent).join("/");
      if (media.tagName === "VIDEO") { media.controls = true; media.muted = true; media.preload = "metadata"; } else { media.alt = item.alt; media.loading = "lazy"; }
      const cap = document.createElement("figcaption"); cap.textContent = item.caption;
      f.append(media, cap); g.appendChild(f);
    }
    box.appendChild(g);
  }
}

// ---- connect ----
fetch("/api/state").then((r) => r.json()).then(applyState).catch((e) => say("state: " + e.message));
const events = new EventSource("/api/events");
events.addEventListener("state", (e) => applyState(JSON.parse(e.data)));
events.onerror = () => { $("status").textContent = "reconnecting"; };
