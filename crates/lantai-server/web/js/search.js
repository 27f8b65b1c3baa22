// The employees' search page: one box over every category, then facets to narrow down.

import { api } from "./api.js";
import { go, showError } from "./app.js";
import { announce, h, num, replace, snippet } from "./dom.js";
import { categoryName, t } from "./i18n.js";
import { updateVisit, visit } from "./visit.js";

export const PAGE_SIZE = 10;

/** The search parameters in the page's address. */
function read(params) {
  const int = (name) => {
    const v = Number.parseInt(params.get(name) || "", 10);
    return Number.isFinite(v) ? v : null;
  };
  return {
    q: params.has("q") ? params.get("q") : null,
    categories: params.getAll("category").filter(Boolean),
    yearFrom: int("year_from"),
    yearTo: int("year_to"),
    offset: Math.max(0, int("offset") || 0),
    explain: params.get("explain") === "1",
  };
}

function navigate(state, changes, focusId) {
  const next = { ...state, ...changes };
  go("search", null, {
    q: next.q ?? "",
    category: next.categories,
    year_from: next.yearFrom,
    year_to: next.yearTo,
    offset: next.offset || null,
    explain: next.explain ? "1" : null,
  }, focusId);
}

function searchForm(state) {
  const input = h("input", {
    type: "search",
    id: "q",
    name: "q",
    value: state.q ?? "",
    autocomplete: "off",
    enterkeyhint: "search",
    "aria-describedby": "q-help",
    maxlength: "1000",
  });
  return h(
    "form",
    {
      role: "search",
      class: "search-form",
      id: "search-form",
      onsubmit: (event) => {
        event.preventDefault();
        // A new query starts over: facets chosen for the last one may not fit it.
        navigate(state, { q: input.value.trim(), categories: [], yearFrom: null, yearTo: null, offset: 0 });
      },
    },
    h("label", { for: "q", class: "visually-hidden" }, t("search.label")),
    h("div", { class: "row" }, input, h("button", { type: "submit", id: "search-submit" }, t("search.submit"))),
    h("p", { id: "q-help", class: "help" }, t("search.help")),
  );
}

export async function renderSearch(main, params) {
  const state = read(params);
  const title = h("h1", { id: "page-title", tabindex: "-1" }, state.q ? t("search.titleFor", { q: state.q }) : t("search.title"));
  const results = h("div", { id: "results", "aria-busy": "true" });
  replace(main, title, searchForm(state), results);
  if (state.q === null) {
    replace(results, syntaxHelp());
    results.removeAttribute("aria-busy");
    document.getElementById("q").focus();
    return;
  }
  replace(results, h("p", { class: "loading" }, t("loading")));
  let answer;
  try {
    answer = await api.search({
      q: state.q,
      category: state.categories.length ? state.categories.join(",") : null,
      year_from: state.yearFrom,
      year_to: state.yearTo,
      limit: PAGE_SIZE,
      offset: state.offset,
      explain: state.explain ? "true" : null,
    });
  } catch (error) {
    showError(results, error);
    results.removeAttribute("aria-busy");
    return;
  }
  updateVisit({ queryId: answer.query_id, searches: (visit().searches || 0) + 1 });
  results.removeAttribute("aria-busy");
  if (answer.total === 0 || answer.hits.length === 0) {
    replace(results, emptyPage(state, answer));
    announce(t("search.none", { q: state.q }));
    return;
  }
  const summary = h(
    "p",
    { class: "summary", id: "summary" },
    t("search.summary", { total: answer.total, from: state.offset + 1, to: state.offset + answer.hits.length, ms: num(answer.took_ms, 1) }),
  );
  const layout = h(
    "div",
    { class: "layout" },
    facets(state, answer),
    h(
      "div",
      { class: "hits-col" },
      summary,
      activeFilters(state),
      intent(state, answer),
      answerCard(state, answer),
      hitList(state, answer),
      pager(state, answer),
    ),
  );
  replace(results, layout);
  announce(summary.textContent);
}

function syntaxHelp() {
  const rows = [
    ["有线电视 服务站", "syntax.words"],
    ['"有线电视服务站"', "syntax.phrase"],
    ["-草稿", "syntax.not"],
    ["〔2021〕15号", "syntax.known"],
  ];
  return h(
    "section",
    { class: "syntax", "aria-labelledby": "syntax-title" },
    h("h2", { id: "syntax-title" }, t("syntax.title")),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("syntax.write")), h("th", { scope: "col" }, t("syntax.means")))),
      h(
        "tbody",
        {},
        rows.map(([example, key]) => h("tr", {}, h("td", {}, h("code", {}, example)), h("td", {}, t(key)))),
      ),
    ),
    h("p", { class: "help" }, t("syntax.empty"), " ", h("a", { href: "#/search?q=", id: "browse-all" }, t("syntax.browse"))),
  );
}

function emptyPage(state, answer) {
  const filtered = state.categories.length || state.yearFrom !== null || state.yearTo !== null;
  const tokens = answer.tokens || [];
  return h(
    "section",
    { class: "empty", id: "empty", "aria-labelledby": "empty-title" },
    h("h2", { id: "empty-title" }, t("empty.title", { q: state.q })),
    h(
      "p",
      { id: "empty-tokens" },
      t("empty.tokens"),
      " ",
      tokens.length ? tokens.map((tok, i) => [i ? " / " : "", h("code", { class: "token" }, tok)]) : h("em", {}, t("empty.noTokens")),
    ),
    h(
      "ul",
      { class: "suggestions" },
      filtered
        ? h(
            "li",
            {},
            h(
              "button",
              { type: "button", id: "clear-filters", onclick: () => navigate(state, { categories: [], yearFrom: null, yearTo: null, offset: 0 }) },
              t("empty.clearFilters"),
            ),
          )
        : null,
      h("li", {}, t("empty.fewer")),
      h("li", {}, t("empty.synonyms")),
      h("li", {}, t("empty.quotes")),
      h("li", {}, t("empty.dictionary")),
    ),
  );
}

function facets(state, answer) {
  const cats = Object.entries((answer.facets && answer.facets.category) || {});
  for (const c of state.categories) if (!cats.some(([k]) => k === c)) cats.push([c, 0]);
  cats.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const years = Object.keys((answer.facets && answer.facets.year) || {})
    .map(Number)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const yearCounts = (answer.facets && answer.facets.year) || {};

  const catBoxes = cats.map(([code, count]) => {
    const id = `cat-${code.replace(/[^A-Za-z0-9]/g, "_")}`;
    const box = h("input", {
      type: "checkbox",
      id,
      name: "category",
      value: code,
      checked: state.categories.includes(code),
      onchange: (event) => {
        const chosen = new Set(state.categories);
        if (event.target.checked) chosen.add(code);
        else chosen.delete(code);
        navigate(state, { categories: [...chosen], offset: 0 }, id);
      },
    });
    return h("li", {}, box, h("label", { for: id }, categoryName(code), h("span", { class: "count" }, ` ${count}`)));
  });

  const allYears = [...new Set([...years, state.yearFrom, state.yearTo].filter((y) => y !== null))].sort((a, b) => a - b);
  const yearSelect = (id, value, label) =>
    h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      h(
        "select",
        { id, name: id },
        h("option", { value: "" }, t("facet.any")),
        allYears.map((y) => h("option", { value: String(y), selected: y === value }, `${y}${yearCounts[y] ? ` (${yearCounts[y]})` : ""}`)),
      ),
    );
  const yearForm = h(
    "form",
    {
      class: "years",
      id: "year-form",
      onsubmit: (event) => {
        event.preventDefault();
        const from = event.target.elements.year_from.value;
        const to = event.target.elements.year_to.value;
        let [lo, hi] = [from ? Number(from) : null, to ? Number(to) : null];
        if (lo !== null && hi !== null && lo > hi) [lo, hi] = [hi, lo];
        navigate(state, { yearFrom: lo, yearTo: hi, offset: 0 }, "year-apply");
      },
    },
    yearSelect("year_from", state.yearFrom, t("facet.from")),
    yearSelect("year_to", state.yearTo, t("facet.to")),
    h("button", { type: "submit", id: "year-apply" }, t("facet.apply")),
  );

  // On a phone the facets fold away above the results (open once a filter is set); from 900px
  // they stand beside the results, always open, and the fold's summary is hidden.
  const wide = window.matchMedia("(min-width: 900px)").matches;
  const active = state.categories.length > 0 || state.yearFrom !== null || state.yearTo !== null;
  return h(
    "aside",
    { class: "facets", "aria-labelledby": "facets-title" },
    h("h2", { id: "facets-title", class: "facets-title" }, t("facet.title")),
    h(
      "details",
      { class: "facet-box", id: "facet-box", open: wide || active },
      h("summary", {}, t("facet.show")),
      h("fieldset", { id: "facet-category" }, h("legend", {}, t("facet.category")), h("ul", {}, catBoxes)),
      h("fieldset", { id: "facet-year" }, h("legend", {}, t("facet.year")), yearForm),
    ),
  );
}

function activeFilters(state) {
  const chips = [];
  for (const c of state.categories) {
    chips.push(
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "chip",
            "aria-label": t("filter.remove", { what: categoryName(c) }),
            onclick: () => navigate(state, { categories: state.categories.filter((x) => x !== c), offset: 0 }),
          },
          categoryName(c),
          " ×",
        ),
      ),
    );
  }
  if (state.yearFrom !== null || state.yearTo !== null) {
    const label = `${state.yearFrom ?? "…"}–${state.yearTo ?? "…"}`;
    chips.push(
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: "chip", "aria-label": t("filter.remove", { what: label }), onclick: () => navigate(state, { yearFrom: null, yearTo: null, offset: 0 }) },
          label,
          " ×",
        ),
      ),
    );
  }
  if (!chips.length) return null;
  return h("ul", { class: "chips", "aria-label": t("filter.active") }, chips);
}

function intent(state, answer) {
  const it = answer.intent || {};
  const cats = it.categories || [];
  const explainBox = h("input", {
    type: "checkbox",
    id: "explain-toggle",
    checked: state.explain,
    onchange: (event) => navigate(state, { explain: event.target.checked }, "explain-toggle"),
  });
  return h(
    "details",
    { class: "intent", id: "intent", open: state.explain },
    h("summary", {}, t("intent.why")),
    h("p", { id: "intent-explanation" }, it.explanation || ""),
    h("p", {}, t("intent.kind"), " ", h("strong", {}, it.kind === "known_item" ? t("intent.known") : t("intent.topical"))),
    cats.length
      ? h(
          "ul",
          { class: "weights", "aria-label": t("intent.categories") },
          cats.map((c) =>
            h(
              "li",
              {},
              h("span", { class: "w-label" }, categoryName(c.category)),
              h("meter", { min: "0", max: "1", value: String(c.weight), "aria-label": categoryName(c.category) }),
              h("span", { class: "w-value" }, `${Math.round(c.weight * 100)}%`),
            ),
          ),
        )
      : null,
    h("p", {}, t("intent.tokens"), " ", (answer.tokens || []).map((tok, i) => [i ? " / " : "", h("code", { class: "token" }, tok)])),
    h("p", {}, explainBox, " ", h("label", { for: "explain-toggle" }, t("intent.explain"))),
  );
}

function recordLink(answer, hit, position) {
  return `#/record/${encodeURIComponent(hit.id)}?qid=${encodeURIComponent(answer.query_id)}&pos=${position}`;
}

function answerCard(state, answer) {
  const hit = answer.hits[0];
  if (!hit || !hit.answer || state.offset !== 0) return null;
  const row = (label, value) => (value ? [h("dt", {}, label), h("dd", {}, value)] : null);
  return h(
    "section",
    { class: "answer-card", id: "answer-card", "aria-labelledby": "answer-title" },
    h("p", { class: "kicker" }, t("answer.kicker")),
    h("h2", { id: "answer-title" }, h("a", { href: recordLink(answer, hit, 1) }, hit.title || hit.id)),
    h(
      "dl",
      {},
      row(t("field.archival_code"), hit.archival_code),
      row(t("field.title"), hit.title),
      row(t("field.date"), hit.date || hit.year),
      row(t("field.creator"), hit.creator),
      row(t("field.location"), hit.location),
      row(t("field.doc_number"), hit.doc_number),
    ),
  );
}

function hitList(state, answer) {
  return h(
    "ol",
    { class: "hits", id: "hits", start: String(state.offset + 1) },
    answer.hits.map((hit, i) => {
      const position = state.offset + i + 1;
      return h(
        "li",
        { class: `hit${hit.answer ? " is-answer" : ""}` },
        h("h3", {}, h("a", { href: recordLink(answer, hit, position), class: "hit-title" }, hit.title || hit.id)),
        h(
          "p",
          { class: "meta" },
          hit.category ? h("span", { class: "badge" }, categoryName(hit.category)) : null,
          hit.date || hit.year ? h("span", {}, hit.date || String(hit.year)) : null,
          hit.archival_code ? h("span", { class: "code" }, hit.archival_code) : null,
          hit.creator ? h("span", {}, hit.creator) : null,
        ),
        hit.snippet ? h("p", { class: "snippet" }, snippet(hit.snippet)) : null,
        hit.explain ? explainTable(hit.explain) : null,
      );
    }),
  );
}

function explainTable(explain) {
  const rows = [];
  const walk = (prefix, value) => {
    if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    else rows.push([prefix, typeof value === "number" ? num(value, 3) : String(value)]);
  };
  walk("", explain);
  return h(
    "details",
    { class: "explain" },
    h("summary", {}, t("explain.title")),
    h("table", {}, h("tbody", {}, rows.map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, v))))),
  );
}

function pager(state, answer) {
  const pages = Math.ceil(answer.total / PAGE_SIZE);
  if (pages <= 1) return null;
  const page = Math.floor(state.offset / PAGE_SIZE) + 1;
  const to = (p) => navigate(state, { offset: (p - 1) * PAGE_SIZE });
  const maxPage = Math.min(pages, Math.floor(10000 / PAGE_SIZE));
  return h(
    "nav",
    { class: "pager", "aria-label": t("pager.label") },
    h("button", { type: "button", id: "prev-page", disabled: page <= 1, onclick: () => to(page - 1) }, t("pager.prev")),
    h("span", { "aria-current": "page" }, t("pager.page", { page, pages })),
    h("button", { type: "button", id: "next-page", disabled: page >= maxPage, onclick: () => to(page + 1) }, t("pager.next")),
  );
}
