// What this browser tab did in the current search session: the last search and record (for
// usage events and the survey), and whether the survey was answered or declined.

const VISIT = "lantai.visit";

export function visit() {
  try {
    return JSON.parse(sessionStorage.getItem(VISIT) || "{}");
  } catch {
    return {};
  }
}

export function updateVisit(changes) {
  const next = { ...visit(), ...changes };
  sessionStorage.setItem(VISIT, JSON.stringify(next));
  return next;
}

const PURPOSE = "lantai.purpose";

/** 利用目的 stated for record reads (kept for the tab). */
export function purpose() {
  return sessionStorage.getItem(PURPOSE) || "工作查考";
}

export function setPurpose(value) {
  sessionStorage.setItem(PURPOSE, value);
}
