// The short survey after a search session (LibQUAL+ Lite style: a few items drawn per
// respondent, each rated minimum / desired / perceived on 1–9), offered once per tab by an
// unobtrusive note at the bottom of the search page, never as a pop-up.

import { api, ApiError } from "./api.js";
import { go, showError } from "./app.js";
import { announce, h, replace } from "./dom.js";
import { getLang, t } from "./i18n.js";
import { updateVisit, visit } from "./visit.js";

const invite = document.getElementById("survey-invite");

/** Shows the invitation on the search page once the user has opened a record from a search. */
export function maybeInvite(routeName) {
  const v = visit();
  const show = routeName === "search" && v.opened && !v.surveyDone && !v.surveyDeclined;
  if (!show) {
    invite.hidden = true;
    return;
  }
  replace(
    invite,
    h("p", { id: "survey-invite-text" }, t("invite.text")),
    h("div", { class: "row" },
      h("button", { type: "button", id: "survey-accept", onclick: () => go("survey") }, t("invite.accept")),
      h(
        "button",
        {
          type: "button",
          class: "link",
          id: "survey-decline",
          onclick: () => {
            updateVisit({ surveyDeclined: true });
            invite.hidden = true;
            const q = document.getElementById("q");
            if (q) q.focus();
          },
        },
        t("invite.decline"),
      ),
    ),
  );
  invite.hidden = false;
}

const word = (prompt) => (getLang() === "en" ? prompt.en : prompt.zh);

function scaleSelect(id, label, lo, hi) {
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h(
      "select",
      { id, name: id },
      h("option", { value: "" }, t("survey.na")),
      Array.from({ length: hi - lo + 1 }, (_, k) => h("option", { value: String(lo + k) }, String(lo + k))),
    ),
  );
}

export async function renderSurvey(main) {
  replace(main, h("p", { class: "loading" }, t("loading")));
  const form = await api.survey({ form: "short" });
  const errors = h("div", { id: "survey-errors", role: "alert" });
  const items = form.items.map((item) =>
    h(
      "fieldset",
      { class: "item", id: `item-${item.number}` },
      h("legend", {}, `${item.number}. ${word(item)}`),
      h(
        "div",
        { class: "triple" },
        scaleSelect(`i${item.number}-minimum`, t("survey.minimum"), 1, 9),
        scaleSelect(`i${item.number}-desired`, t("survey.desired"), 1, 9),
        scaleSelect(`i${item.number}-perceived`, t("survey.perceived"), 1, 9),
      ),
    ),
  );
  const found = h(
    "fieldset",
    { id: "found" },
    h("legend", {}, word(form.found_record)),
    h("label", {}, h("input", { type: "radio", name: "found", value: "yes", id: "found-yes" }), ` ${t("survey.yes")}`),
    h("label", {}, h("input", { type: "radio", name: "found", value: "no", id: "found-no" }), ` ${t("survey.no")}`),
  );
  const el = h(
    "form",
    { class: "survey", id: "survey", "aria-describedby": "survey-intro", novalidate: true },
    h("h1", { id: "page-title", tabindex: "-1" }, t("survey.title")),
    h("p", { id: "survey-intro", class: "help" }, t("survey.intro")),
    items,
    h("fieldset", { id: "overall" }, h("legend", {}, t("survey.overall")),
      scaleSelect("technical", word(form.technical), 1, 7),
      scaleSelect("functional", word(form.functional), 1, 7),
    ),
    found,
    h("div", { class: "field" }, h("label", { for: "comment" }, t("survey.comment")), h("textarea", { id: "comment", name: "comment", rows: "3", maxlength: "2000" })),
    errors,
    h("div", { class: "row" },
      h("button", { type: "submit", id: "survey-submit" }, t("survey.submit")),
      h("button", { type: "button", class: "link", id: "survey-cancel", onclick: () => { updateVisit({ surveyDeclined: true }); history.back(); } }, t("survey.cancel")),
    ),
  );
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (id) => {
      const v = el.elements[id].value;
      return v === "" ? null : Number(v);
    };
    const answers = form.items.map((item) => ({
      item: item.number,
      minimum: value(`i${item.number}-minimum`),
      desired: value(`i${item.number}-desired`),
      perceived: value(`i${item.number}-perceived`),
    }));
    const problems = answers
      .filter((a) => a.minimum !== null && a.desired !== null && a.minimum > a.desired)
      .map((a) => t("survey.minAboveDesired", { item: a.item }));
    if (answers.every((a) => a.minimum === null && a.desired === null && a.perceived === null)) problems.push(t("survey.nothing"));
    if (problems.length) {
      replace(errors, h("ul", { class: "error" }, problems.map((p) => h("li", {}, p))));
      return;
    }
    const v = visit();
    const checked = el.querySelector("input[name=found]:checked");
    const comment = el.elements.comment.value.trim();
    try {
      await api.respond({
        survey_version: form.version,
        format: "zot",
        answers,
        technical: value("technical"),
        functional: value("functional"),
        found_record: checked ? checked.value === "yes" : null,
        comment: comment || null,
        query_id: v.queryId || null,
        record_id: v.recordId || null,
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        replace(errors, h("p", { class: "error" }, `${t("survey.refused")} ${error.detail || ""}`));
        return;
      }
      showError(errors, error);
      return;
    }
    updateVisit({ surveyDone: true });
    replace(
      main,
      h("section", { class: "thanks", id: "survey-thanks" },
        h("h1", { id: "page-title", tabindex: "-1" }, t("survey.thanks")),
        h("p", {}, h("a", { href: "#/", id: "thanks-back" }, t("survey.backToSearch"))),
      ),
    );
    document.getElementById("page-title").focus();
    announce(t("survey.thanks"));
  });
  replace(main, el);
}
