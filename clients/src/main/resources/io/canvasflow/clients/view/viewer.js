// CanvasFlow live view: tiles from the viewer's Server-Sent Events. Every camera id and string from
// Kafka goes into the page through textContent or dataset, never as HTML.
"use strict";

const grid = document.getElementById("grid");
const tiles = new Map(); // camera id -> tile elements
let paused = false;

function element(tag, className, parent) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (parent) parent.appendChild(e);
  return e;
}

function tileFor(camera) {
  let t = tiles.get(camera);
  if (t) return t;
  const empty = document.getElementById("empty");
  if (empty) empty.remove();
  const root = element("article", "tile no-frame");
  // Tiles stay in camera id order, whatever order the cameras first appear in.
  const after = [...tiles.keys()].filter((id) => id > camera).sort()[0];
  grid.insertBefore(root, after === undefined ? null : tiles.get(after).root);
  root.dataset.camera = camera;
  root.dataset.seq = "-1";
  const title = element("h2", "camera", root);
  title.textContent = camera;
  const picture = element("div", "picture", root);
  const frame = element("img", "frame", picture);
  const mask = element("img", "mask", picture);
  frame.alt = "";
  mask.alt = "";
  const stats = element("div", "stats", root);
  stats.textContent = "waiting for a mask with its frame";
  root.addEventListener("click", () => root.classList.toggle("large"));
  t = { root, frame, mask, stats, tile: null, summary: null, token: 0 };
  tiles.set(camera, t);
  return t;
}

function showTile(data) {
  const t = tileFor(String(data.camera));
  const token = ++t.token;
  t.tile = data;
  const loads = [];
  t.mask.src = data.mask;
  loads.push(t.mask.decode());
  if (data.frame) {
    t.frame.src = data.frame;
    loads.push(t.frame.decode());
    t.root.classList.remove("no-frame");
  } else {
    t.root.classList.add("no-frame");
  }
  // The tile says which sequence it shows once its images are decoded (the page's own record).
  Promise.all(loads)
    .catch(() => undefined)
    .then(() => {
      if (t.token === token) {
        t.root.dataset.seq = String(data.sequence);
        t.root.dataset.shownAt = String(Date.now());
      }
    });
  writeStats(t);
}

// The viewer forgets a camera after five minutes with no mask (as serve forgets its series) and
// says so with a "gone" event: its tile goes. While paused the page keeps what it shows and
// removes the tiles when the pause ends.
const gone = new Set();

function removeTile(camera) {
  const t = tiles.get(camera);
  if (!t) return;
  t.root.remove();
  tiles.delete(camera);
  if (tiles.size === 0 && !document.getElementById("empty")) {
    const empty = element("p", null, grid);
    empty.id = "empty";
    empty.textContent = "Waiting for masks\u2026";
  }
}

function ms(value) {
  return value < 0 ? "-" : value + " ms";
}

function writeStats(t) {
  const s = t.summary;
  const d = t.tile;
  const lines = [];
  lines.push((d ? "seq " + d.sequence + (d.frame ? "" : " (frame missing)") : "no picture yet")
    + (s ? "   " + s.fps.toFixed(1) + " frames/s" : ""));
  if (s) {
    lines.push("latency p50 " + ms(s.latencyP50Millis) + "   p99 " + ms(s.latencyP99Millis));
  }
  if (d) {
    lines.push("iterations " + d.iterations + (s ? " (mean " + s.meanIterations.toFixed(2) + ")" : "")
      + (d.seeded ? ", seeded" : ", reset: " + String(d.resetReason || "none").toLowerCase()));
  }
  if (s) {
    lines.push("seeded " + s.seeded + " / reset " + s.resets
      + (s.lastReset ? " (last: " + s.lastReset.toLowerCase() + ")" : ""));
    lines.push("masks " + s.frames + (s.skipped ? " (" + s.skipped + " skipped)" : ""));
  }
  if (d) {
    lines.push("model " + d.modelVersion);
  }
  t.stats.textContent = lines.join("\n");
}

function showStats(data) {
  document.getElementById("source").textContent = data.source || "";
  for (const s of data.cameras || []) {
    const t = tileFor(String(s.camera));
    t.summary = s;
    writeStats(t);
  }
  const legend = document.getElementById("legend");
  legend.replaceChildren();
  for (const [model, entries] of Object.entries(data.legends || {})) {
    const group = element("span", "legend-group", legend);
    const name = element("span", "legend-model", group);
    name.textContent = model;
    for (const entry of entries) {
      const swatch = element("span", "swatch", group);
      if (/^#[0-9a-f]{6}$/i.test(entry.color)) swatch.style.backgroundColor = entry.color;
      group.appendChild(document.createTextNode(entry.name));
    }
  }
}

// The stream can be up while Kafka or the topology is not: with no mask for this long the tiles
// are old, and the badge says so instead of "live".
const STALE_MS = 10000;

function showFreshness(data) {
  const connection = document.getElementById("connection");
  if (connection.className === "down") return;
  const ago = data.newestMaskAgoMillis;
  if (typeof ago === "number" && ago >= STALE_MS) {
    connection.textContent = "stale: no mask for " + Math.round(ago / 1000) + " s";
    connection.className = "stale";
  } else {
    connection.textContent = "live";
    connection.className = "up";
  }
}

// A refused stream (503: the viewer's streams are all taken) closes an EventSource for good, so
// the page opens a new one itself, waiting longer each time up to the cap.
const RETRY_FIRST_MS = 2000;
const RETRY_MAX_MS = 15000;
let retryMs = RETRY_FIRST_MS;

function connect() {
  const connection = document.getElementById("connection");
  const events = new EventSource("events");
  events.onopen = () => {
    retryMs = RETRY_FIRST_MS;
    connection.textContent = "live";
    connection.className = "up";
  };
  events.onerror = () => {
    connection.className = "down";
    if (events.readyState !== EventSource.CLOSED) {
      connection.textContent = "reconnecting"; // the browser retries by itself
      return;
    }
    events.close();
    connection.textContent = "too many viewers open; retrying in "
      + Math.round(retryMs / 1000) + " s";
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };
  events.addEventListener("tile", (e) => {
    if (!paused) showTile(JSON.parse(e.data));
  });
  events.addEventListener("gone", (e) => {
    const camera = String(JSON.parse(e.data).camera);
    if (paused) gone.add(camera);
    else removeTile(camera);
  });
  events.addEventListener("stats", (e) => {
    const data = JSON.parse(e.data);
    showFreshness(data);
    if (!paused) showStats(data);
  });
}

function controls() {
  const opacity = document.getElementById("opacity");
  const value = document.getElementById("opacity-value");
  const setOpacity = () => {
    document.documentElement.style.setProperty("--mask-opacity", String(opacity.value / 100));
    value.textContent = opacity.value + "%";
  };
  opacity.addEventListener("input", setOpacity);
  setOpacity();
  for (const radio of document.querySelectorAll("input[name=mode]")) {
    radio.addEventListener("change", () => {
      document.body.classList.remove("mode-both", "mode-mask", "mode-frame");
      document.body.classList.add("mode-" + radio.value);
    });
  }
  const pause = document.getElementById("pause");
  pause.addEventListener("change", () => {
    paused = pause.checked;
    if (!paused) {
      gone.forEach(removeTile);
      gone.clear();
    }
  });
}

controls();
connect();
