// Charts as hand-written SVG. Each chart is an <svg role="img"> with a <title> (its accessible
// name) and a <desc>; the numbers behind it are also in a table and a CSV next to it. Colours and
// fonts come from app.css (classes), never from inline styles, which the page's CSP forbids.

import { s, num } from "./dom.js";

function frame(width, height, title, desc, cls) {
  const id = `chart-${Math.random().toString(36).slice(2, 9)}`;
  return s(
    "svg",
    {
      class: `chart ${cls || ""}`,
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-labelledby": `${id}-t ${id}-d`,
      preserveAspectRatio: "xMidYMid meet",
    },
    s("title", { id: `${id}-t` }, title),
    s("desc", { id: `${id}-d` }, desc || ""),
  );
}

const finite = (v) => typeof v === "number" && Number.isFinite(v);

/**
 * Horizontal bars around zero (gaps are mostly negative): rows [{label, value}].
 * `domain` [lo, hi] is widened to hold every value and zero.
 */
export function divergingBars({ rows, title, desc, domain = [-2, 2], digits = 2 }) {
  const labelW = 150;
  const valueW = 56;
  const width = 640;
  const rowH = 26;
  const top = 22;
  const height = top + rows.length * rowH + 8;
  let [lo, hi] = domain;
  for (const r of rows) if (finite(r.value)) [lo, hi] = [Math.min(lo, r.value), Math.max(hi, r.value)];
  lo = Math.min(lo, 0);
  hi = Math.max(hi, 0);
  const plotW = width - labelW - valueW - 10;
  const x = (v) => labelW + ((v - lo) / (hi - lo || 1)) * plotW;
  const svg = frame(width, height, title, desc, "bars");
  // Axis ticks at whole numbers.
  for (let tick = Math.ceil(lo); tick <= Math.floor(hi); tick += 1) {
    svg.append(
      s("line", { class: tick === 0 ? "axis zero" : "grid", x1: x(tick), x2: x(tick), y1: top - 6, y2: height - 6 }),
      s("text", { class: "tick", x: x(tick), y: 12, "text-anchor": "middle" }, String(tick)),
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    svg.append(s("text", { class: "label", x: labelW - 8, y: y + rowH / 2 + 4, "text-anchor": "end" }, r.label));
    if (finite(r.value)) {
      const x0 = x(0);
      const x1 = x(r.value);
      svg.append(
        s("rect", {
          class: `bar ${r.value < 0 ? "neg" : "pos"}${r.flag ? " flagged" : ""}`,
          x: Math.min(x0, x1),
          y: y + 4,
          width: Math.max(Math.abs(x1 - x0), 1),
          height: rowH - 8,
        }),
      );
    }
    svg.append(
      s("text", { class: "value", x: width - 4, y: y + rowH / 2 + 4, "text-anchor": "end" }, finite(r.value) ? num(r.value, digits) : "–"),
    );
  });
  return svg;
}

/**
 * LibQUAL+-style radar: one axis per dimension, rings for minimum, desired and perceived
 * (series [{name, cls, values}]), on the scale [min, max].
 */
export function radar({ axes, series, title, desc, min = 1, max = 9 }) {
  const size = 420;
  const c = size / 2;
  const r = c - 70;
  const svg = frame(size, size, title, desc, "radar");
  const angle = (i) => -Math.PI / 2 + (2 * Math.PI * i) / axes.length;
  const point = (i, v) => {
    const k = (Math.min(Math.max(v, min), max) - min) / (max - min);
    return [c + Math.cos(angle(i)) * r * k, c + Math.sin(angle(i)) * r * k];
  };
  for (let level = min; level <= max; level += 2) {
    const pts = axes.map((_, i) => point(i, level).map((n) => n.toFixed(1)).join(",")).join(" ");
    svg.append(s("polygon", { class: "grid", points: pts }));
    svg.append(s("text", { class: "tick", x: c + 3, y: point(0, level)[1] - 2 }, String(level)));
  }
  axes.forEach((label, i) => {
    const [ex, ey] = point(i, max);
    svg.append(s("line", { class: "grid", x1: c, y1: c, x2: ex, y2: ey }));
    const lx = c + Math.cos(angle(i)) * (r + 22);
    const ly = c + Math.sin(angle(i)) * (r + 22);
    const anchor = Math.abs(lx - c) < 10 ? "middle" : lx > c ? "start" : "end";
    svg.append(s("text", { class: "label", x: lx, y: ly + 4, "text-anchor": anchor }, label));
  });
  for (const serie of series) {
    if (!serie.values.every(finite)) continue;
    const pts = serie.values.map((v, i) => point(i, v).map((n) => n.toFixed(1)).join(",")).join(" ");
    svg.append(s("polygon", { class: `ring ${serie.cls}`, points: pts }));
    serie.values.forEach((v, i) => {
      const [px, py] = point(i, v);
      svg.append(s("circle", { class: `dot ${serie.cls}`, cx: px, cy: py, r: 3 }));
    });
  }
  legend(svg, series, 10, size - 12);
  return svg;
}

function legend(svg, series, x0, y) {
  let x = x0;
  for (const serie of series) {
    svg.append(s("rect", { class: `key ${serie.cls}`, x, y: y - 9, width: 12, height: 10 }));
    svg.append(s("text", { class: "legend", x: x + 16, y }, serie.name));
    x += 24 + serie.name.length * 13;
  }
}

/**
 * Thermometer bars for three-column data: per row the zone of tolerance [minimum, desired] as a
 * band on the scale and the perceived level as a marker, red below the zone, green above it.
 */
export function thermometers({ rows, title, desc, min = 1, max = 9, labels }) {
  const labelW = 110;
  const width = 640;
  const rowH = 34;
  const top = 24;
  const height = top + rows.length * rowH + 30;
  const plotW = width - labelW - 20;
  const x = (v) => labelW + ((v - min) / (max - min)) * plotW;
  const svg = frame(width, height, title, desc, "thermo");
  for (let tick = min; tick <= max; tick += 1) {
    svg.append(
      s("line", { class: "grid", x1: x(tick), x2: x(tick), y1: top - 6, y2: top + rows.length * rowH }),
      s("text", { class: "tick", x: x(tick), y: 14, "text-anchor": "middle" }, String(tick)),
    );
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    svg.append(s("text", { class: "label", x: labelW - 8, y: y + rowH / 2 + 4, "text-anchor": "end" }, r.label));
    svg.append(s("rect", { class: "track", x: x(min), y: y + 11, width: plotW, height: 10, rx: 5 }));
    if (finite(r.minimum) && finite(r.desired)) {
      svg.append(
        s("rect", { class: "zone", x: x(r.minimum), y: y + 8, width: Math.max(x(r.desired) - x(r.minimum), 2), height: 16, rx: 3 }),
      );
    }
    if (finite(r.perceived)) {
      const where = finite(r.minimum) && r.perceived < r.minimum ? "below" : finite(r.desired) && r.perceived > r.desired ? "above" : "within";
      svg.append(s("rect", { class: `mercury ${where}`, x: x(min), y: y + 13, width: Math.max(x(r.perceived) - x(min), 1), height: 6, rx: 3 }));
      svg.append(s("circle", { class: `bulb ${where}`, cx: x(r.perceived), cy: y + 16, r: 6 }));
    }
  });
  legend(
    svg,
    [
      { name: labels.zone, cls: "zone" },
      { name: labels.perceived, cls: "within" },
    ],
    labelW,
    height - 8,
  );
  return svg;
}

/** Lines over ordered categories (months): xs labels, series [{name, cls, values}]. */
export function lines({ xs, series, title, desc, domain, digits = 2, percent = false }) {
  const width = 640;
  const height = 260;
  const left = 52;
  const right = 16;
  const top = 16;
  const bottom = 58;
  const all = series.flatMap((sr) => sr.values.filter(finite));
  let [lo, hi] = domain || [Math.min(0, ...all), Math.max(0, ...all)];
  if (all.length) [lo, hi] = [Math.min(lo, ...all), Math.max(hi, ...all)];
  if (hi === lo) hi = lo + 1;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const x = (i) => left + (xs.length <= 1 ? plotW / 2 : (i / (xs.length - 1)) * plotW);
  const y = (v) => top + (1 - (v - lo) / (hi - lo)) * plotH;
  const svg = frame(width, height, title, desc, "lines");
  for (let k = 0; k <= 4; k += 1) {
    const v = lo + ((hi - lo) * k) / 4;
    svg.append(
      s("line", { class: Math.abs(v) < 1e-9 ? "axis zero" : "grid", x1: left, x2: width - right, y1: y(v), y2: y(v) }),
      s("text", { class: "tick", x: left - 6, y: y(v) + 4, "text-anchor": "end" }, percent ? `${Math.round(v * 100)}%` : num(v, 1)),
    );
  }
  xs.forEach((label, i) => {
    svg.append(s("text", { class: "tick", x: x(i), y: height - bottom + 16, "text-anchor": "middle" }, label));
  });
  for (const serie of series) {
    let d = "";
    serie.values.forEach((v, i) => {
      if (!finite(v)) return;
      d += `${d ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      svg.append(s("circle", { class: `dot ${serie.cls}`, cx: x(i), cy: y(v), r: 3.5 }, s("title", {}, `${serie.name} ${xs[i]}: ${percent ? `${(v * 100).toFixed(1)}%` : num(v, digits)}`)));
    });
    if (d) svg.insertBefore(s("path", { class: `line ${serie.cls}`, d }), svg.querySelector("circle"));
  }
  legend(svg, series, left, height - 10);
  return svg;
}
