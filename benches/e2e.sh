#!/usr/bin/env bash
# End-to-end benchmark over HTTP against a started release server, loopback only, bounded in time:
#   1. ingest the dataset's corpus through POST /v1/records (`lantai ingest`, batches of 5,000);
#   2. search with the dataset's own queries at 1, 4 and 16 connections (wrk, DURATION s each,
#      default 20): throughput, p50/p99 latency, errors (must be 0); the server's peak RSS;
#   3. the same work in-process, in the same run (`lantai eval`: the engine's batch path and
#      search without HTTP, one thread), so every HTTP figure is also a ratio;
#   4. the peer (../shared/peers/jieba_bm25.py) on the same dataset, if python has jieba, numpy
#      and scipy (PEER=0 skips it).
#
# Usage: benches/e2e.sh [DATASET_DIR]      (needs wrk and python3)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=benches/common.sh
. "$root/benches/common.sh"
dataset=${1:-$root/../shared/datasets/stard}
duration=${DURATION:-20}
bin=$root/target/release/lantai
key=e2e-bench-admin-key

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
(cd "$root" && cargo build --release -q -p lantai-cli)

work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

prepare_dataset "$dataset" "$work"

LANTAI__RANKING__SWAP_RATE=0 start_server "$bin" "$work" "$key"
records=$(wc -l < "$work/records.jsonl")

start=$(date +%s.%N)
"$bin" ingest "$work/records.jsonl" --server "$url" --key "$key" --quiet --batch-size 5000 > "$work/ingest.out"
end=$(date +%s.%N)
echo "http_ingest_seconds $(python3 -c "print($end - $start)")" > "$work/figures"

for c in 1 4 16; do
  threads=$(( c < 2 ? 1 : 2 ))
  QUERIES=$work/queries.txt KEY=$key wrk -t"$threads" -c"$c" -d"${duration}s" --timeout 10s --latency \
    -s "$work/search.lua" "$url" > "$work/wrk-$c.out"
  if grep -qE "Non-2xx|Socket errors" "$work/wrk-$c.out"; then echo "ERRORS at $c connections:"; cat "$work/wrk-$c.out"; exit 1; fi
done
peak_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
kill -TERM "$pid"; wait "$pid" || true

# The same work in-process: the engine's batch path and search, one thread, no HTTP.
LANTAI_LOG=warn "$bin" eval --dataset "$dataset" --json > "$work/eval.json"

peer=""
if [ "${PEER:-1}" != 0 ] && python3 -c "import jieba, numpy, scipy" 2>/dev/null; then
  peer=$(python3 "$root/../shared/peers/jieba_bm25.py" "$dataset" 2>/dev/null || true)
fi

python3 - "$work" "$records" "$peak_kb" "$duration" "$peer" <<'PY'
import json, re, sys
work, n, peak_kb, duration, peer = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
fig = dict(l.split() for l in open(f"{work}/figures"))
http_rate = n / float(fig["http_ingest_seconds"])
ev = json.load(open(f"{work}/eval.json"))
def ms(v):
    v = v.strip()
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    x = float(m.group(1))
    return {"us": x / 1000, "ms": x, "s": x * 1000}[m.group(2)]
print(f"corpus: {n} records; search {duration} s per connection count; release build")
print(f"ingest over HTTP: {http_rate:,.0f} records/s; in-process batch path: {ev['docs_per_second']:,.0f}/s "
      f"(HTTP = {http_rate / ev['docs_per_second']:.2f} x in-process)")
inproc = ev["mean_query_ms"]
print(f"in-process search (one thread, limit 100 with snippets): mean {inproc:.2f} ms")
print("connections  searches/s   p50 ms   p99 ms   p50 / in-process mean")
for c in (1, 4, 16):
    out = open(f"{work}/wrk-{c}.out").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = ms(re.search(r"50%\s+(\S+)", out).group(1))
    p99 = ms(re.search(r"99%\s+(\S+)", out).group(1))
    print(f"{c:>11}  {rps:>10,.0f}  {p50:>7.2f}  {p99:>7.2f}  {p50 / inproc:>8.2f}")
print(f"server peak RSS: {peak_kb / 1024:.0f} MiB")
print(f"quality (in-process eval): nDCG@10 {ev['ndcg_at_10']:.4f}  MRR@10 {ev['mrr_at_10']:.4f}  Recall@100 {ev['recall_at_100']:.4f}")
if peer:
    print("peer (jieba + BM25 in Python):")
    print("\n".join("  " + l for l in peer.splitlines()))
else:
    print("peer: not run (PEER=0, or python lacks jieba/numpy/scipy: pip install jieba numpy scipy)")
PY
