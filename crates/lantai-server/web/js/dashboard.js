// The analysts' dashboard over GET /v1/quality/servqual and /v1/quality/indicators: gaps by
// dimension and item, the zone of tolerance (radar and thermometers), weighted and unweighted
// scores with Cronbach's α, monthly trends and usage indicators, filtered by group and period.
// Every chart has its numbers in a table and a CSV download; the server's own CSV of each report
// is one click away too.

import { api, ApiError } from "./api.js";
import { go, showError } from "./app.js";
import { divergingBars, lines, radar, thermometers } from "./charts.js";
import { download, h, num, pct, replace } from "./dom.js";
import { categoryName, dimensionName, t } from "./i18n.js";

const DIMENSIONS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"];
const GROUP_BYS = ["department", "user_group", "category"];

/** CSV text (RFC 4180 quoting) with a BOM, so spreadsheet programs on Chinese Windows read UTF-8. */
export function toCsv(headers, rows) {
  const cell = (v) => {
    const text = v === null || v === undefined ? "" : typeof v === "number" ? String(Math.round(v * 1e6) / 1e6) : String(v);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\uFEFF${[headers, ...rows].map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

function readFilters(params) {
  const groupBy = GROUP_BYS.includes(params.get("group_by")) ? params.get("group_by") : "";
  return {
    groupBy,
    group: groupBy ? params.get("group") || "" : "",
    from: params.get("from") || "",
    to: params.get("to") || "",
    version: params.get("survey_version") || "",
  };
}

/** A chart section: heading, note, chart, its numbers as a table, and a CSV button. */
function section(id, title, { chart, note, headers, rows, csv }) {
  return h(
    "section",
    { class: "panel", id, "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    note ? h("p", { class: "help" }, note) : null,
    chart ? h("div", { class: "chart-box" }, chart) : null,
    h(
      "details",
      { class: "numbers" },
      h("summary", {}, t("dash.numbers")),
      h(
        "div",
        { class: "table-wrap" },
        h(
          "table",
          {},
          h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
          h("tbody", {}, rows.map((r) => h("tr", {}, r.map((v, i) => (i === 0 ? h("th", { scope: "row" }, fmt(v)) : h("td", {}, fmt(v))))))),
        ),
      ),
    ),
    h(
      "button",
      { type: "button", class: "small csv", id: `${id}-csv`, onclick: () => download(`${csv}.csv`, toCsv(headers, rows), "text/csv;charset=utf-8") },
      t("dash.csv"),
    ),
  );
}

function fmt(v) {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : num(v, 2);
  if (v === null || v === undefined) return "–";
  return String(v);
}

const mean = (summary) => (summary ? summary.mean : null);

export async function renderDashboard(main, params) {
  const f = readFilters(params);
  replace(main, h("h1", { id: "page-title", tabindex: "-1" }, t("dash.title")), h("p", { class: "loading" }, t("loading")));
  const period = { from: f.from || null, to: f.to || null };
  const sq = { ...period, survey_version: f.version || null };
  let servqual;
  let indicators;
  let servqualByMonth;
  let indicatorsByMonth;
  try {
    [servqual, indicators, servqualByMonth, indicatorsByMonth] = await Promise.all([
      api.servqual({ ...sq, group_by: f.groupBy || null }),
      api.indicators({ ...period, group_by: f.groupBy || null }),
      api.servqual({ ...sq, group_by: "month" }),
      api.indicators({ ...period, group_by: "month" }),
    ]);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      replace(main, h("h1", { id: "page-title", tabindex: "-1" }, t("dash.title")), h("p", { class: "error", role: "alert", id: "dash-forbidden" }, t("dash.forbidden")));
      return;
    }
    replace(main, h("h1", { id: "page-title", tabindex: "-1" }, t("dash.title")));
    const box = h("div");
    main.append(box);
    showError(box, error);
    return;
  }

  const groups = servqual.groups.map((g) => g.key);
  for (const g of indicators.groups) if (!groups.includes(g.key)) groups.push(g.key);
  const score = (f.group ? servqual.groups.find((g) => g.key === f.group) : servqual.overall) || null;
  const usage = (f.group ? indicators.groups.find((g) => g.key === f.group) : indicators.overall) || null;
  const groupLabel = f.group ? groupName(f.groupBy, f.group) : t("dash.everyone");

  const content = [
    h("h1", { id: "page-title", tabindex: "-1" }, t("dash.title")),
    filterForm(f, groups),
    h("p", { class: "scope", id: "dash-scope" }, t("dash.scope", { group: groupLabel, n: score ? score.n : 0, searches: usage ? usage.searches : 0 })),
  ];
  if (!score || score.suppressed || score.n === 0) {
    content.push(h("p", { class: "notice", id: "dash-suppressed" }, score && score.n > 0 ? t("dash.suppressed", { n: score.n }) : t("dash.noResponses")));
  } else {
    content.push(overview(score), dimensionGaps(score), itemGaps(score), zone(score), reliability(score));
  }
  if (f.groupBy && !f.group) content.push(comparison(f, servqual));
  content.push(trends(servqualByMonth, indicatorsByMonth), usagePanel(usage));
  replace(main, ...content);
}

function groupName(groupBy, key) {
  return groupBy === "category" ? categoryName(key) : key;
}

function filterForm(f, groups) {
  const select = (id, label, options, value) =>
    h(
      "div",
      { class: "field" },
      h("label", { for: id }, label),
      h("select", { id, name: id }, options.map(([v, text]) => h("option", { value: v, selected: v === value }, text))),
    );
  const form = h(
    "form",
    {
      class: "filters",
      id: "dash-filters",
      onsubmit: (event) => {
        event.preventDefault();
        const el = event.target.elements;
        const groupBy = el.group_by.value;
        go("dashboard", null, {
          group_by: groupBy,
          // A group belongs to one way of grouping: changing the grouping clears it.
          group: groupBy === f.groupBy ? el.group.value : "",
          from: el.from.value,
          to: el.to.value,
          survey_version: el.survey_version.value,
        });
      },
    },
    h("fieldset", {},
      h("legend", {}, t("dash.filters")),
      select("group_by", t("dash.groupBy"), [["", t("dash.everyone")], ...GROUP_BYS.map((g) => [g, t(`groupBy.${g}`)])], f.groupBy),
      select("group", t("dash.group"), [["", f.groupBy ? t("dash.allGroups") : t("dash.everyone")], ...groups.map((g) => [g, groupName(f.groupBy, g)])], f.group),
      h("div", { class: "field" }, h("label", { for: "from" }, t("dash.from")), h("input", { type: "date", id: "from", name: "from", value: f.from })),
      h("div", { class: "field" }, h("label", { for: "to" }, t("dash.to")), h("input", { type: "date", id: "to", name: "to", value: f.to })),
      h("div", { class: "field" }, h("label", { for: "survey_version" }, t("dash.version")), h("input", { type: "number", min: "1", id: "survey_version", name: "survey_version", value: f.version, inputmode: "numeric" })),
      h("button", { type: "submit", id: "dash-apply" }, t("dash.apply")),
    ),
  );
  const params = { from: f.from || null, to: f.to || null, group_by: f.groupBy || null };
  const serverCsv = (report, id, label) =>
    h(
      "button",
      {
        type: "button",
        class: "small",
        id,
        onclick: async () => {
          try {
            const text = await api.reportCsv(report, report === "servqual" ? { ...params, survey_version: f.version || null } : params);
            download(`${report}${f.groupBy ? `-by-${f.groupBy}` : ""}.csv`, text, "text/csv;charset=utf-8");
          } catch (error) {
            showError(form, error);
          }
        },
      },
      label,
    );
  form.append(h("p", { class: "downloads" }, serverCsv("servqual", "csv-servqual", t("dash.csvServqual")), " ", serverCsv("indicators", "csv-indicators", t("dash.csvIndicators"))));
  return form;
}

function overview(score) {
  const card = (label, value, hint) => h("div", { class: "card" }, h("div", { class: "card-value" }, value), h("div", { class: "card-label" }, label), hint ? h("div", { class: "card-hint" }, hint) : null);
  const headers = [t("dash.figure"), t("dash.value")];
  const rows = [
    [t("dash.respondents"), score.n],
    [t("dash.unweighted"), score.unweighted],
    [t("dash.weighted"), score.weighted],
    ["SERVPERF", score.servperf],
    [t("dash.technical"), mean(score.technical)],
    [t("dash.functional"), mean(score.functional)],
    [t("dash.found"), score.found_record_share],
  ];
  const el = section("overview", t("dash.overview"), { headers, rows, csv: "overview" });
  el.insertBefore(
    h(
      "div",
      { class: "cards" },
      card(t("dash.respondents"), String(score.n)),
      card(t("dash.unweighted"), num(score.unweighted), t("dash.gapHint")),
      card(t("dash.weighted"), num(score.weighted), t("dash.weightedHint")),
      card("SERVPERF", num(score.servperf), t("dash.servperfHint")),
      card(t("dash.technical"), num(mean(score.technical))),
      card(t("dash.functional"), num(mean(score.functional))),
      card(t("dash.found"), pct(score.found_record_share)),
    ),
    el.querySelector("details"),
  );
  return el;
}

function dimensionGaps(score) {
  const rows = DIMENSIONS.map((d) => {
    const x = score.dimensions[d] || {};
    return [dimensionName(d), x.n ?? null, mean(x.expectation), mean(x.perception), x.score ?? null, x.gap ? x.gap.sd : null, x.alpha_low ? t("dash.alphaLow") : ""];
  });
  const chart = divergingBars({
    title: t("dash.dimGaps"),
    desc: t("dash.gapDesc"),
    rows: DIMENSIONS.map((d, i) => {
      const flag = (score.dimensions[d] || {}).alpha_low;
      return { label: flag ? `⚠ ${dimensionName(d)}` : dimensionName(d), value: rows[i][4], flag };
    }),
  });
  return section("dim-gaps", t("dash.dimGaps"), {
    chart,
    note: t("dash.gapDesc"),
    headers: [t("dash.dimension"), "n", t("dash.expectation"), t("dash.perception"), t("dash.gap"), t("dash.sd"), t("dash.flag")],
    rows,
    csv: "servqual-dimension-gaps",
  });
}

function itemGaps(score) {
  const items = score.items || [];
  const rows = items.map((it) => [it.item, dimensionName(it.dimension), it.n, mean(it.expectation), mean(it.perception), mean(it.gap)]);
  const chart = divergingBars({
    title: t("dash.itemGaps"),
    desc: t("dash.gapDesc"),
    rows: items.map((it) => ({ label: `${it.item} ${dimensionName(it.dimension)}`, value: mean(it.gap) })),
  });
  return section("item-gaps", t("dash.itemGaps"), {
    chart,
    headers: [t("dash.item"), t("dash.dimension"), "n", t("dash.expectation"), t("dash.perception"), t("dash.gap")],
    rows,
    csv: "servqual-item-gaps",
  });
}

function zone(score) {
  const z = score.zone;
  if (!z) {
    return h(
      "section",
      { class: "panel", id: "zone", "aria-labelledby": "zone-title" },
      h("h2", { id: "zone-title" }, t("dash.zone")),
      h("p", { class: "help", id: "zone-none" }, t("dash.noZone")),
    );
  }
  const dims = DIMENSIONS.filter((d) => z.dimensions && z.dimensions[d]);
  const val = (d, k) => mean(z.dimensions[d][k]);
  const chartRadar = radar({
    title: t("dash.radar"),
    desc: t("dash.radarDesc"),
    axes: dims.map(dimensionName),
    series: [
      { name: t("dash.minimum"), cls: "minimum", values: dims.map((d) => val(d, "minimum")) },
      { name: t("dash.desired"), cls: "desired", values: dims.map((d) => val(d, "desired")) },
      { name: t("dash.perceived"), cls: "perceived", values: dims.map((d) => val(d, "perceived")) },
    ],
  });
  const chartThermo = thermometers({
    title: t("dash.thermo"),
    desc: t("dash.thermoDesc"),
    labels: { zone: t("dash.zoneBand"), perceived: t("dash.perceived") },
    rows: dims.map((d) => ({ label: dimensionName(d), minimum: val(d, "minimum"), desired: val(d, "desired"), perceived: val(d, "perceived") })),
  });
  const rows = dims.map((d) => [dimensionName(d), val(d, "minimum"), val(d, "desired"), val(d, "perceived"), val(d, "adequacy_gap"), val(d, "superiority_gap")]);
  const el = section("zone", t("dash.zone"), {
    note: t("dash.zoneNote", { n: z.n, below: pct(z.below), within: pct(z.within), above: pct(z.above), msa: num(mean(z.adequacy_gap)), mss: num(mean(z.superiority_gap)) }),
    headers: [t("dash.dimension"), t("dash.minimum"), t("dash.desired"), t("dash.perceived"), "MSA", "MSS"],
    rows,
    csv: "servqual-zone-of-tolerance",
  });
  el.insertBefore(h("div", { class: "chart-pair" }, h("div", { class: "chart-box" }, chartRadar), h("div", { class: "chart-box" }, chartThermo)), el.querySelector("details"));
  return el;
}

function reliability(score) {
  const rows = DIMENSIONS.map((d) => {
    const x = score.dimensions[d] || {};
    const a = x.alpha || {};
    return [dimensionName(d), x.score ?? null, a.p ?? null, a.e ?? null, a.g ?? null, x.alpha_low ? t("dash.alphaLow") : t("dash.alphaOk")];
  });
  rows.push([t("dash.unweighted"), score.unweighted, null, null, null, ""]);
  rows.push([t("dash.weighted"), score.weighted, null, null, null, ""]);
  const el = section("reliability", t("dash.reliability"), {
    note: t("dash.alphaNote"),
    headers: [t("dash.dimension"), t("dash.gap"), "α P", "α E", "α G", t("dash.flag")],
    rows,
    csv: "servqual-scores-alpha",
  });
  // The flags are the point of this panel: show the table open, with flagged rows marked.
  const details = el.querySelector("details");
  details.open = true;
  details.querySelectorAll("tbody tr").forEach((tr, i) => {
    if (i < DIMENSIONS.length && (score.dimensions[DIMENSIONS[i]] || {}).alpha_low) tr.classList.add("flagged");
  });
  return el;
}

function comparison(f, servqual) {
  const shown = servqual.groups.filter((g) => !g.suppressed && g.n > 0);
  const rows = servqual.groups.map((g) => [groupName(f.groupBy, g.key), g.n, g.suppressed ? t("dash.suppressedShort") : "", g.unweighted, g.weighted, g.servperf]);
  const chart = shown.length
    ? divergingBars({
        title: t("dash.compare", { by: t(`groupBy.${f.groupBy}`) }),
        desc: t("dash.gapDesc"),
        rows: shown.map((g) => ({ label: groupName(f.groupBy, g.key), value: g.unweighted })),
      })
    : null;
  return section("compare", t("dash.compare", { by: t(`groupBy.${f.groupBy}`) }), {
    chart,
    note: shown.length < servqual.groups.length ? t("dash.someSuppressed") : null,
    headers: [t("dash.group"), "n", "", t("dash.unweighted"), t("dash.weighted"), "SERVPERF"],
    rows,
    csv: `servqual-by-${f.groupBy}`,
  });
}

function trends(servqualByMonth, indicatorsByMonth) {
  const months = [...new Set([...servqualByMonth.groups.map((g) => g.key), ...indicatorsByMonth.groups.map((g) => g.key)])].sort();
  const sq = (m) => servqualByMonth.groups.find((g) => g.key === m) || {};
  const ind = (m) => indicatorsByMonth.groups.find((g) => g.key === m) || {};
  const rows = months.map((m) => [m, sq(m).n ?? 0, sq(m).unweighted ?? null, sq(m).weighted ?? null, sq(m).servperf ?? null, ind(m).searches ?? 0, ind(m).success_rate ?? null, ind(m).zero_result_rate ?? null, ind(m).reformulation_rate ?? null]);
  const el = section("trends", t("dash.trends"), {
    note: months.length ? t("dash.trendsNote") : t("dash.noMonths"),
    headers: [t("dash.month"), t("dash.respondents"), t("dash.unweighted"), t("dash.weighted"), "SERVPERF", t("dash.searches"), t("dash.success"), t("dash.zero"), t("dash.reformulation")],
    rows,
    csv: "trends-by-month",
  });
  if (months.length) {
    const scores = lines({
      title: t("dash.trendScores"),
      desc: t("dash.trendsNote"),
      xs: months,
      series: [
        { name: t("dash.unweighted"), cls: "s1", values: rows.map((r) => r[2]) },
        { name: t("dash.weighted"), cls: "s2", values: rows.map((r) => r[3]) },
      ],
    });
    const rates = lines({
      title: t("dash.trendRates"),
      desc: t("dash.trendsNote"),
      xs: months,
      percent: true,
      domain: [0, 1],
      series: [
        { name: t("dash.success"), cls: "s3", values: rows.map((r) => r[6]) },
        { name: t("dash.zero"), cls: "s4", values: rows.map((r) => r[7]) },
      ],
    });
    el.insertBefore(h("div", { class: "chart-pair even" }, h("div", { class: "chart-box" }, scores), h("div", { class: "chart-box" }, rates)), el.querySelector("details"));
  }
  return el;
}

function usagePanel(usage) {
  if (!usage || usage.suppressed) {
    return h(
      "section",
      { class: "panel", id: "usage", "aria-labelledby": "usage-title" },
      h("h2", { id: "usage-title" }, t("dash.usage")),
      h("p", { class: "notice" }, usage && usage.searches > 0 ? t("dash.usageSuppressed", { n: usage.searches }) : t("dash.noSearches")),
    );
  }
  const survey = usage.survey || {};
  const rows = [
    [t("dash.searches"), usage.searches, ""],
    [t("dash.zero"), usage.zero_result_rate, `${t("dash.informs")} ${dimensionName("reliability")}`],
    [t("dash.success"), usage.success_rate, `${t("dash.informs")} ${dimensionName("reliability")}`],
    [t("dash.ttfo"), usage.median_time_to_first_open_ms, `${t("dash.informs")} ${dimensionName("responsiveness")}`],
    [t("dash.reformulation"), usage.reformulation_rate, ""],
    [t("dash.p50"), usage.latency_p50_ms, `${t("dash.informs")} ${dimensionName("responsiveness")}`],
    [t("dash.p95"), usage.latency_p95_ms, `${t("dash.informs")} ${dimensionName("responsiveness")}`],
    [`${t("dash.surveySays")} ${dimensionName("reliability")}`, survey.reliability ?? null, ""],
    [`${t("dash.surveySays")} ${dimensionName("responsiveness")}`, survey.responsiveness ?? null, ""],
  ];
  const el = section("usage", t("dash.usage"), {
    note: t("dash.usageNote"),
    headers: [t("dash.figure"), t("dash.value"), ""],
    rows,
    csv: "usage-indicators",
  });
  el.querySelector("details").open = true;
  return el;
}
