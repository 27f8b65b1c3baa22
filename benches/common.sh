# Shared by benches/load.sh and benches/e2e.sh (sourced, not run).

# Warnings only (tantivy's about a merge that waits for a background one are expected).
bench_log="warn,tantivy::indexer::segment_manager=error"

# prepare_dataset DATASET_DIR WORK_DIR: the corpus as Lantai records (as `lantai eval` maps it:
# title, text → content, category, law → org_unit, the rest under extra) in WORK/records.jsonl,
# the queries URL-encoded (quote characters read as spaces) in WORK/queries.txt, and the wrk
# script WORK/search.lua that sends them (QUERIES and KEY from the environment).
prepare_dataset() {
  python3 - "$1" "$2" <<'PY'
import json, sys, urllib.parse
src, out = sys.argv[1], sys.argv[2]
with open(f"{out}/records.jsonl", "w") as f:
    for line in open(f"{src}/corpus.jsonl"):
        d = json.loads(line)
        r = {"id": d.pop("id"), "title": d.pop("title", None), "content": d.pop("text", None)}
        c = d.pop("category", None)
        if isinstance(c, str):
            r["category"] = c
        law = d.pop("law", None)
        if isinstance(law, str):
            r["org_unit"] = law
        r["extra"] = {k: v for k, v in d.items() if v is not None}
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
with open(f"{out}/queries.txt", "w") as f:
    for line in open(f"{src}/queries.jsonl"):
        q = json.loads(line)["text"][:500]
        q = "".join(" " if c in '"“”「」『』' else c for c in q)
        f.write(urllib.parse.quote(q) + "\n")
PY
  cat > "$2/search.lua" <<'LUA'
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do queries[#queries + 1] = line end
local auth = "Bearer " .. os.getenv("KEY")
request = function()
  return wrk.format("GET", "/v1/search?limit=10&q=" .. queries[math.random(#queries)], { ["Authorization"] = auth })
end
LUA
}

# start_server BIN WORK_DIR KEY: a server on a free loopback port over WORK/data, no demo, no
# rate limit; sets `pid` and `url`.
start_server() {
  LANTAI_ADMIN_KEY=$3 LANTAI__SERVER__LOAD_DEMO_ON_FIRST_START=false \
  LANTAI__LIMITS__REQUESTS_PER_SECOND=1000000 LANTAI__LIMITS__BURST=1000000 LANTAI_LOG=$bench_log \
    "$1" serve --data "$2/data" --bind 127.0.0.1:0 > "$2/serve.out" 2> "$2/serve.err" &
  pid=$!
  for _ in $(seq 100); do grep -q listening "$2/serve.out" 2>/dev/null && break; sleep 0.1; done
  url=$(awk '/listening/ {print $NF}' "$2/serve.out")
}

# bench_setup DATASET_DIR: wrk present, the release binary built, a work directory `work`
# removed (and the server stopped) on exit, the dataset prepared in it.
bench_setup() {
  command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
  (cd "$root" && cargo build --release -q -p lantai-cli)
  work=$(mktemp -d)
  trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
  prepare_dataset "$1" "$work"
}

# search_load CONNECTIONS SECONDS OUT: the dataset's questions against `url` for SECONDS at
# CONNECTIONS (wrk, latency percentiles; `key` and `url` as set by the caller and start_server)
# into OUT; any non-2xx answer or socket error fails.
search_load() {
  local threads=$(( $1 < 2 ? 1 : 2 ))
  QUERIES=$work/queries.txt KEY=$key wrk -t"$threads" -c"$1" -d"$2s" --timeout 10s --latency \
    -s "$work/search.lua" "$url" > "$3"
  if grep -qE "Non-2xx|Socket errors" "$3"; then echo "ERRORS at $1 connections:"; cat "$3"; exit 1; fi
}

# wait_merged SECONDS: waits (at most SECONDS) until the server at `url` has merged its index
# into one segment, as it does by itself once writes pause (`index.merge_when_idle_ms`), so
# searches are measured in the steady state; prints the seconds waited.
wait_merged() {
  local start segments
  start=$(date +%s.%N)
  for _ in $(seq $(( $1 * 5 ))); do
    segments=$(curl -sf -H "Authorization: Bearer $key" "$url/metrics" | awk '/^lantai_index_segments / {print $2}')
    [ "${segments:-2}" = 1 ] && break
    sleep 0.2
  done
  python3 -c "print(round($(date +%s.%N) - $start, 1))"
}
