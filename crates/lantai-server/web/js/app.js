// The page's entry: the key gate, the language switch and a small hash router.
//   #/search?q=…&category=…&year_from=…&year_to=…&offset=…&explain=1   search (the default)
//   #/record/{id}?qid=…&pos=…                                          one record
//   #/survey                                                           the short survey
//   #/dashboard?group_by=…&group=…&from=…&to=…                         the analysts' dashboard

import { ApiError, forgetKey, getKey, setKey } from "./api.js";
import { h, replace } from "./dom.js";
import { applyStatic, getLang, setLang, t } from "./i18n.js";
import { renderSearch } from "./search.js";
import { renderRecord, leaveRecord } from "./record.js";
import { renderSurvey, maybeInvite } from "./survey.js";
import { renderDashboard } from "./dashboard.js";

const main = document.getElementById("main");

/** The current route: its name, path argument and parameters. */
export function route() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, query] = hash.split("?", 2);
  const parts = path.split("/").map(decodeURIComponent);
  return { name: parts[0] || "search", arg: parts.slice(1).join("/"), params: new URLSearchParams(query || "") };
}

/** Where focus goes after the next render: an element id, or the page's heading when absent. */
let focusNext = null;

/**
 * Goes to a route (`name`, `arg`, params object), adding a history entry. `focusId` keeps a
 * keyboard user where they were (the facet they just ticked) instead of the page's heading.
 */
export function go(name, arg, params, focusId) {
  focusNext = focusId || null;
  let hash = `#/${name}`;
  if (arg) hash += `/${encodeURIComponent(arg)}`;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    // An empty value stays: `q=` (browse everything) is not the same as no `q` (the start page).
    if (v === null || v === undefined || v === false) continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
  }
  const qs = q.toString();
  if (qs) hash += `?${qs}`;
  if (location.hash === hash) render().then(focusAfterRender);
  else location.hash = hash;
}

/** Shows an API failure in `where`; a 401 sends the user back to the key form. */
export function showError(where, error) {
  if (error instanceof ApiError && error.status === 401) {
    forgetKey();
    renderKeyForm(t("key.rejected"));
    return;
  }
  let text;
  if (error instanceof ApiError && error.status === 403) text = t("error.forbidden");
  else if (error instanceof ApiError && error.status === 404) text = t("error.notFound");
  else if (error instanceof ApiError && error.status === 429) text = t("error.rate");
  else if (error instanceof ApiError && error.status === 0) text = t("error.network");
  else if (error instanceof ApiError) text = `${t("error.api")} (${error.status} ${error.code || ""}): ${error.detail || ""}`;
  else text = `${t("error.page")}: ${error && error.message ? error.message : error}`;
  replace(where, h("p", { class: "error", role: "alert" }, text));
}

function renderKeyForm(message) {
  document.getElementById("forget-key").hidden = true;
  document.getElementById("survey-invite").hidden = true;
  const input = h("input", {
    id: "key-input",
    name: "key",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    "aria-describedby": "key-help",
  });
  const form = h(
    "form",
    {
      class: "key-form",
      id: "key-form",
      onsubmit: (event) => {
        event.preventDefault();
        if (!input.value.trim()) return;
        setKey(input.value);
        render();
      },
    },
    h("h1", { id: "page-title", tabindex: "-1" }, t("key.title")),
    message ? h("p", { class: "error", role: "alert" }, message) : null,
    h("label", { for: "key-input" }, t("key.label")),
    h("div", { class: "row" }, input, h("button", { type: "submit", id: "key-submit" }, t("key.submit"))),
    h("p", { id: "key-help", class: "help" }, t("key.help")),
  );
  replace(main, form);
  input.focus();
}

let lastRoute = "";
let renderCount = 0;

/**
 * Renders the current route into a fresh view. A render that an older navigation started and
 * finishes late writes into its own view, no longer on the page, so it cannot overwrite a newer
 * one. While loading, `main` is `aria-busy`; when the latest render is done, `body` carries
 * `data-rendered` with the address it rendered (the browser tests wait on it).
 */
export async function render() {
  const count = ++renderCount;
  applyStatic();
  const current = route();
  const here = `${current.name}/${current.arg}`;
  if (lastRoute.startsWith("record/") && here !== lastRoute) leaveRecord();
  lastRoute = here;
  for (const [name, id] of [["search", "nav-search"], ["dashboard", "nav-dashboard"]]) {
    const link = document.getElementById(id);
    if (current.name === name || (name === "search" && current.name === "record")) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const view = h("div", { class: "view" });
  replace(main, view);
  main.setAttribute("aria-busy", "true");
  try {
    if (!getKey()) {
      renderKeyForm();
      return;
    }
    document.getElementById("forget-key").hidden = false;
    switch (current.name) {
      case "record":
        await renderRecord(view, current.arg, current.params);
        break;
      case "survey":
        await renderSurvey(view);
        break;
      case "dashboard":
        await renderDashboard(view, current.params);
        break;
      default:
        await renderSearch(view, current.params);
    }
  } catch (error) {
    showError(view, error);
  } finally {
    if (count === renderCount) {
      main.removeAttribute("aria-busy");
      if (getKey()) maybeInvite(current.name);
      document.body.dataset.rendered = location.hash;
    }
  }
}

/**
 * After navigation, focus moves to the element asked for, else to the page's heading, so keyboard
 * and screen-reader users land on the new content.
 */
function focusAfterRender() {
  const wanted = focusNext && document.getElementById(focusNext);
  focusNext = null;
  const target = wanted || document.getElementById("page-title");
  if (target) target.focus();
}

// The skip link moves focus without touching the address (its "#main" would be read as a route).
document.getElementById("skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});
document.getElementById("lang").addEventListener("click", () => {
  setLang(getLang() === "zh" ? "en" : "zh");
  render();
});
document.getElementById("forget-key").addEventListener("click", () => {
  forgetKey();
  render();
});
window.addEventListener("hashchange", () => render().then(focusAfterRender));
window.addEventListener("pagehide", () => leaveRecord(true));
render();
