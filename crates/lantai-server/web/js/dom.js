// Building the page from elements and text nodes, never by parsing HTML: every API string becomes
// a text node, except a search snippet, whose only markup is <em> (see `snippet`).

/**
 * An element: h("a", {href: "#/", class: "x", onclick: fn}, "text", child, [more]).
 * Attributes whose value is null, undefined or false are left out; `true` sets an empty one.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element, as `h`. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "dataset") {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * A snippet from the API as nodes: the API escapes the text and marks matches with <em>…</em>.
 * We trust nothing: the string is split on the exact tokens `<em>` and `</em>`, every other part
 * is un-escaped (the five entities the API writes) and inserted as text, so no other markup can
 * ever be rendered, whatever the server sends.
 */
export function snippet(html) {
  const frag = document.createDocumentFragment();
  let inside = null;
  for (const part of String(html ?? "").split(/(<em>|<\/em>)/)) {
    if (part === "<em>") {
      if (!inside) {
        inside = document.createElement("em");
        frag.append(inside);
      }
    } else if (part === "</em>") {
      inside = null;
    } else if (part) {
      (inside || frag).append(document.createTextNode(unescape(part)));
    }
  }
  return frag;
}

const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'", "&#x2F;": "/" };

function unescape(text) {
  return text.replace(/&(amp|lt|gt|quot|#39|#x27|#x2F);/g, (m) => ENTITIES[m]);
}

/** A short announcement for screen readers (the polite live region). */
export function announce(text) {
  const status = document.getElementById("status");
  if (!status) return;
  status.textContent = "";
  // A fresh text node after a tick is announced even when the text repeats.
  setTimeout(() => {
    status.textContent = text;
  }, 30);
}

/** Saves `text` as a file named `name`. */
export function download(name, text, type) {
  const blob = new Blob([text], { type: type || "text/plain;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Formats a number with `digits` decimals, or an en dash when absent. */
export function num(value, digits = 2) {
  return typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : "–";
}

/** Formats a share (0..1) as a percentage. */
export function pct(value, digits = 1) {
  return typeof value === "number" && Number.isFinite(value) ? `${(value * 100).toFixed(digits)}%` : "–";
}
