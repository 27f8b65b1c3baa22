// One record: its 著录 metadata and full text, with download and borrow actions. Opening,
// downloading, asking to borrow, feedback and the time spent (dwell) are reported as usage events
// against the search the record was opened from.

import { api } from "./api.js";
import { showError } from "./app.js";
import { announce, download, h, replace } from "./dom.js";
import { categoryName, t } from "./i18n.js";
import { purpose, setPurpose, updateVisit } from "./visit.js";

const PURPOSES = ["工作查考", "编史修志", "学术研究", "经济建设", "宣传教育", "法律凭证", "其他"];

/** The record on screen, while it is open from a search: for the dwell event when leaving it. */
let open = null;

/** Sends one event for the open record; failures are shown where asked, else ignored. */
async function send(type, extra, where) {
  if (!open) return false;
  const event = { query_id: open.queryId, record_id: open.id, type, ...extra };
  try {
    const receipt = await api.events([event], type === "dwell");
    return receipt && receipt.accepted === 1;
  } catch (error) {
    if (where) showError(where, error);
    return false;
  }
}

/** Called when the user leaves the record page (or the page itself): reports the dwell time. */
export function leaveRecord() {
  if (!open) return;
  const dwell = Math.max(0, Math.round(performance.now() - open.since));
  send("dwell", { dwell_ms: dwell, purpose: purpose() });
  open = null;
}

const RETENTION = { Y: "retention.Y", D30: "retention.D30", D10: "retention.D10" };

export async function renderRecord(main, id, params) {
  const queryId = params.get("qid");
  const position = Number.parseInt(params.get("pos") || "", 10);
  replace(main, h("p", { class: "loading" }, t("loading")));
  const record = await api.record(id, purpose());
  open = queryId ? { id: record.id, queryId, since: performance.now() } : null;
  if (open) {
    send("open", Number.isFinite(position) ? { position } : {});
    updateVisit({ opened: true, recordId: record.id, queryId });
  }

  const field = (key, value) => (value === null || value === undefined || value === "" ? null : [h("dt", {}, t(`field.${key}`)), h("dd", { "data-field": key }, value)]);
  const keywords = Array.isArray(record.keywords) ? record.keywords.join("；") : record.keywords;
  const feedback = h("p", { class: "feedback", id: "action-result", role: "status" });

  const purposeSelect = h(
    "select",
    {
      id: "purpose",
      onchange: (event) => {
        setPurpose(event.target.value);
      },
    },
    PURPOSES.map((p) => h("option", { value: p, selected: p === purpose() }, p)),
  );

  const back = queryId
    ? h("a", { href: "#/", class: "back", id: "back", onclick: (event) => { event.preventDefault(); history.back(); } }, t("record.back"))
    : h("a", { href: "#/", class: "back", id: "back" }, t("record.newSearch"));

  const actions = h(
    "div",
    { class: "actions" },
    h(
      "button",
      {
        type: "button",
        id: "download",
        onclick: async () => {
          download(`${record.id}.txt`, asText(record), "text/plain;charset=utf-8");
          await send("download", {});
          feedback.textContent = t("record.downloaded");
        },
      },
      t("record.download"),
    ),
    h(
      "button",
      {
        type: "button",
        id: "borrow",
        onclick: async () => {
          if (!open) {
            feedback.textContent = t("record.borrowNeedsSearch");
            return;
          }
          const ok = await send("borrow_request", { purpose: purpose() }, feedback);
          if (ok) {
            feedback.textContent = t("record.borrowed", { location: record.location || "—" });
            announce(feedback.textContent);
          }
        },
      },
      t("record.borrow"),
    ),
    h("span", { class: "field inline" }, h("label", { for: "purpose" }, t("record.purpose")), purposeSelect),
  );

  const useful = open
    ? h(
        "div",
        { class: "useful", role: "group", "aria-labelledby": "useful-q" },
        h("span", { id: "useful-q" }, t("record.useful")),
        h("button", { type: "button", class: "small", id: "useful-yes", onclick: async () => { if (await send("feedback_useful", {})) feedback.textContent = t("record.thanks"); } }, t("record.yes")),
        h("button", { type: "button", class: "small", id: "useful-no", onclick: async () => { if (await send("feedback_not_useful", {})) feedback.textContent = t("record.thanks"); } }, t("record.no")),
      )
    : null;

  const extra = record.extra && typeof record.extra === "object" ? Object.entries(record.extra) : [];
  replace(
    main,
    h(
      "article",
      { class: "record", id: "record", "aria-labelledby": "page-title" },
      back,
      h("h1", { id: "page-title", tabindex: "-1" }, record.title || record.id),
      h(
        "dl",
        { class: "metadata", id: "metadata" },
        field("archival_code", record.archival_code),
        field("title", record.title),
        field("date", record.date || record.year),
        field("creator", record.creator),
        field("doc_number", record.doc_number),
        field("category", record.category ? categoryName(record.category) : null),
        field("fonds", record.fonds),
        field("org_unit", record.org_unit),
        field("retention", record.retention ? t(RETENTION[record.retention] || record.retention) : null),
        field("classification", record.classification),
        field("access", record.access),
        field("location", record.location),
        field("keywords", keywords),
        field("id", record.id),
      ),
      actions,
      feedback,
      record.abstract ? h("section", { "aria-labelledby": "abstract-title" }, h("h2", { id: "abstract-title" }, t("field.abstract")), h("p", {}, record.abstract)) : null,
      h(
        "section",
        { "aria-labelledby": "content-title" },
        h("h2", { id: "content-title" }, t("field.content")),
        record.content ? h("div", { class: "content", id: "content" }, record.content) : h("p", { class: "help" }, t("record.noContent")),
      ),
      extra.length
        ? h(
            "section",
            { "aria-labelledby": "extra-title" },
            h("h2", { id: "extra-title" }, t("field.extra")),
            h("dl", { class: "metadata" }, extra.map(([k, v]) => [h("dt", {}, k), h("dd", {}, typeof v === "string" ? v : JSON.stringify(v))])),
          )
        : null,
      useful,
    ),
  );
}

function asText(record) {
  const lines = [];
  for (const key of ["archival_code", "title", "date", "creator", "doc_number", "category", "org_unit", "retention", "classification", "location"]) {
    if (record[key]) lines.push(`${t(`field.${key}`)}: ${record[key]}`);
  }
  if (record.keywords && record.keywords.length) lines.push(`${t("field.keywords")}: ${[].concat(record.keywords).join("；")}`);
  if (record.abstract) lines.push("", `${t("field.abstract")}:`, record.abstract);
  if (record.content) lines.push("", `${t("field.content")}:`, record.content);
  return `${lines.join("\n")}\n`;
}

