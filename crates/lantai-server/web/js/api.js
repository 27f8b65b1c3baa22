// Calls to the /v1 API. Every call carries the key the user entered once (kept in
// sessionStorage: gone when the tab closes, never sent anywhere but this server).

const KEY = "lantai.key";

export function getKey() {
  return sessionStorage.getItem(KEY) || "";
}

export function setKey(key) {
  sessionStorage.setItem(KEY, key.trim());
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

/** An API refusal: `status`, the problem `code` and its `detail`. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

// The page is served by the API's own server: API paths are relative to the page, so a reverse
// proxy that mounts Lantai under a prefix keeps working.
function url(path, params) {
  const u = new URL(`v1/${path}`, document.baseURI);
  for (const [name, value] of Object.entries(params || {})) {
    if (value === null || value === undefined || value === "") continue;
    for (const v of Array.isArray(value) ? value : [value]) u.searchParams.append(name, String(v));
  }
  return u;
}

async function call(method, path, { params, body, accept, keepalive } = {}) {
  const headers = { Authorization: `Bearer ${getKey()}`, Accept: accept || "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url(path, params), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      keepalive: Boolean(keepalive),
      credentials: "omit",
      cache: "no-store",
    });
  } catch (e) {
    throw new ApiError(0, "network", String(e && e.message ? e.message : e));
  }
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    let problem = {};
    if (type.includes("json")) problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem.code, problem.detail);
  }
  if (response.status === 204) return null;
  return type.includes("json") ? response.json() : response.text();
}

export const api = {
  search: (params) => call("GET", "search", { params }),
  record: (id, purpose) => call("GET", `records/${encodeURIComponent(id)}`, { params: { purpose } }),
  /** Usage events; `keepalive` lets a dwell event leave while the page is hidden or closed. */
  events: (events, keepalive) => call("POST", "events", { body: events, keepalive }),
  survey: (params) => call("GET", "surveys/current", { params }),
  respond: (response) => call("POST", "surveys/responses", { body: response }),
  servqual: (params) => call("GET", "quality/servqual", { params }),
  indicators: (params) => call("GET", "quality/indicators", { params }),
  /** The server's own CSV of a report (`servqual` or `indicators`). */
  reportCsv: (report, params) => call("GET", `quality/${report}`, { params, accept: "text/csv" }),
};
