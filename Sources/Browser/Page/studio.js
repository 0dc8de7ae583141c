"use strict";
// The studio's page script (StudioPage inlines it into studio.html, after explore.js). Everything it
// shows comes from the studio's own API (Routes.swift): the run's state, snapshots and losses here,
// and the explorer section, explore.js's, with the server as its backend. window.studio exposes what
// it last drew, for the browser tests.
const $ = (id) => document.getElementById(id);
// A digit's side and a manifold grid's side in pixels, as the server wrote them into the page.
const DIGIT = Number(document.body.dataset.digitSide), GRID = Number(document.body.dataset.gridSide);
const studio = window.studio = { state: null, snapshotIteration: -1, lastDecode: null, lastRestyle: null, decodes: 0 };
const bytesOf = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
function say(text) { $("message").textContent = text || ""; }

// An image of bytes as the films draw it (Surface.drawImage): a grey one (0 = paper, 255 = ink)
// through 'Greys' (explore.js's VAEGAN_GREYS), ink black; a colour one (RGB, channels last) as it is.
function drawGrid(canvas, bytes, side, channels, offset = 0) {
  canvas.width = side; canvas.height = side;
  const ctx = canvas.getContext("2d"), img = ctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const at = offset + i * channels;
    if (channels === 3) img.data.set([bytes[at], bytes[at + 1], bytes[at + 2], 255], 4 * i);
    else { const v = VAEGAN_GREYS[bytes[at]]; img.data.set([v, v, v, 255], 4 * i); }
  }
  ctx.putImageData(img, 0, 0);
}
// One figure per class, captioned by its name (textContent: a name is the data's, not markup).
function makeGrids(names) {
  const key = JSON.stringify(names);
  if (studio.gridNames === key) return;
  studio.gridNames = key;
  $("grids").replaceChildren(...names.map((name, k) => {
    const f = document.createElement("figure"), c = document.createElement("canvas"), cap = document.createElement("figcaption");
    c.id = "grid-" + k; c.width = c.height = GRID; cap.textContent = "Label: " + name;
    f.append(c, cap);
    return f;
  }));
}
makeGrids(Array.from({ length: 10 }, (_, k) => String(k)));

// ---- live state, pushed by the server ----
function applyState(s) {
  studio.state = s;
  $("title").textContent = "vaegan-render studio: " + s.run;
  const c = s.config;
  if (c && Array.isArray(c.classNames)) makeGrids(c.classNames.map(String));
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
  if (article) say(`No checkpoint in this run yet: the explorer and the drawing use the article's model (the figure run's weights, iteration ${article.iteration}).`);
  const dims = article ? article.latentDim : (c ? c.latentDim : 0);  // the weights drawn with
  const stamp = s.checkpoint ? s.checkpoint.stamp : (article ? "article-" + article.iteration : null);
  if (stamp && dims) showModel(stamp, dims);
  showReport(s.report || []);
  if (s.problems) say(s.problems.join(" "));
}
async function loadSnapshot() {
  const r = await fetch("/api/snapshot", { cache: "no-store" });
  if (!r.ok) return;
  const iteration = +r.headers.get("X-Iteration"), side = +r.headers.get("X-Grid-Size");
  const channels = r.headers.get("X-Channels") === "3" ? 3 : 1, size = side * side * channels;
  const bytes = new Uint8Array(await r.arrayBuffer());
  for (let k = 0; k < Math.floor(bytes.length / size); k++) if ($("grid-" + k)) drawGrid($("grid-" + k), bytes, side, channels, k * size);
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

// ---- the explorer section, its networks run by the server ----
// Mounted once the run has weights to draw with; mounted again if its code's size changes; a new
// checkpoint redraws what it shows.
// The labels are named by the run's classes and the images have the run's shape (the article
// model's are MNIST's digits, 28x28 grey).
let explorer = null, explorerKey = "";
function showModel(stamp, dims) {
  const s = studio.state, own = s && s.config && !s.articleModel ? s.config : null;
  const names = own ? own.classNames : null, side = own && own.side ? own.side : DIGIT, channels = own && own.channels ? own.channels : 1;
  const fitting = own && own.fitting ? own.fitting : null;  // how one's own set fitted its pictures
  const canRead = !!(s && s.canRead);  // a classifier of the drawing model's classes
  const key = [dims, JSON.stringify(names), canRead, side, channels, JSON.stringify(fitting)].join(" ");
  if (!explorer || key !== explorerKey) {
    explorer = studio.explorer = VaeganExplorer.mount($("explore"), serverBackend(dims, names, canRead, side, channels, fitting)); explorerKey = key;
  } else if (stamp !== studio.checkpointStamp) explorer.refresh();
  studio.checkpointStamp = stamp;
}
async function post(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const out = await r.json();
  if (!r.ok) throw new Error(path + ": " + out.error);
  return out;
}
// Base64 byte images of `size` bytes each, one after another, as explore.js's images in 0...1.
function digitsOf(list, size) {
  const out = new Float32Array(list.length * size);
  list.forEach((b64, k) => bytesOf(b64).subarray(0, size).forEach((v, i) => { out[k * size + i] = v / 255; }));
  return out;
}
function base64(bytes) {
  let text = ""; for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096));
  return btoa(text);
}
function serverBackend(latentDim, classNames, canRead, side, channels, fitting) {
  const size = side * side * channels;
  const restyled = out => {
    const p = out.probabilities;
    return {
      seen: digitsOf([out.digit], size), digits: digitsOf(out.digits, size), label: out.label,
      guess: p ? out.guess : null, confidence: p ? p[out.guess] : null, note: `with the weights of iteration ${out.iteration}`,
    };
  };
  return {
    latentDim, canRead, classNames, side, channels, fitting,
    status: "The studio's server runs the model with the run's latest weights.",
    async decodeAll(z) {
      const started = performance.now(), sent = Array.from(z);
      const out = await post("/api/decode", { z: sent });
      studio.lastDecode = out; studio.lastDecodeZ = sent; studio.decodes++;
      return {
        digits: digitsOf(out.digits, size),
        note: `Weights of iteration ${out.iteration} · decoded in ${out.serverMs.toFixed(1)} ms on the server, ${(performance.now() - started).toFixed(0)} ms round trip.`,
      };
    },
    // The board's ink goes as bytes (140x140, well under the server's body limit).
    async restyle(ink, width, height, label) {
      const bytes = Uint8Array.from(ink, (v) => Math.round(255 * v));
      return restyled(studio.lastRestyle = await post("/api/restyle", { width, height, ink: base64(bytes), label }));
    },
    // A picture fitted in this page (explore.js's fitPicture) goes as its bytes, at most 64x64x3.
    async restyleImage(image, label) {
      const bytes = Uint8Array.from(image, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
      return restyled(studio.lastRestyle = await post("/api/restyle-image", { side, channels, image: base64(bytes), label }));
    },
  };
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
