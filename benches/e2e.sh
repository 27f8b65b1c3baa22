#!/usr/bin/env bash
# End-to-end benchmark over HTTP against a started release server, loopback only, bounded in time:
#   1. ingest the dataset's corpus through POST /v1/records (`lantai ingest`, batches of 5,000);
#   2. once the server has merged its index (it does so by itself when writes pause), search
#      with the dataset's own queries at 1, 4 and 16 connections (wrk, DURATION s each,
#      default 20): throughput, p50/p99 latency, errors (must be 0); the server's peak RSS;
#   3. the same work in-process, in the same run (`lantai eval`: the engine's batch path; the
#      served search at limit 10 without HTTP; text retrieval alone, jieba + tantivy; one query
#      at a time), so every HTTP figure is also a ratio;
#   4. the peer (../shared/peers/jieba_bm25.py) on the same dataset, if python has jieba, numpy
#      and scipy (PEER=0 skips it).
# RUNS times (default 3); every figure is reported per run and as the median of the runs.
#
# Usage: benches/e2e.sh [DATASET_DIR]      (needs wrk and python3)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=benches/common.sh
. "$root/benches/common.sh"
dataset=${1:-$root/../shared/datasets/stard}
duration=${DURATION:-20}
runs=${RUNS:-3}
bin=$root/target/release/lantai
key=e2e-bench-admin-key

bench_setup "$dataset"
records=$(wc -l < "$work/records.jsonl")

for run in $(seq "$runs"); do
  out=$work/run-$run
  mkdir -p "$out"
  rm -rf "$work/data"
  LANTAI__RANKING__SWAP_RATE=0 start_server "$bin" "$work" "$key"
  start=$(date +%s.%N)
  "$bin" ingest "$work/records.jsonl" --server "$url" --key "$key" --quiet --batch-size 5000 > "$out/ingest.out"
  end=$(date +%s.%N)
  python3 -c "print($end - $start)" > "$out/http_ingest_seconds"
  wait_merged 300 > "$out/merge_wait_seconds"
  for c in 1 4 16; do search_load "$c" "$duration" "$out/wrk-$c.out"; done
  awk '/VmHWM/ {print $2}' /proc/$pid/status > "$out/peak_kb"
  kill -TERM "$pid"; wait "$pid" || true

  # The same work in-process: the engine's batch path and search, one thread, no HTTP.
  LANTAI_LOG=$bench_log LANTAI__RANKING__SWAP_RATE=0 "$bin" eval --dataset "$dataset" --json > "$out/eval.json"

  if [ "${PEER:-1}" != 0 ] && python3 -c "import jieba, numpy, scipy" 2>/dev/null; then
    python3 "$root/../shared/peers/jieba_bm25.py" "$dataset" > "$out/peer.out" 2>/dev/null || true
  fi
  echo "run $run of $runs done" >&2
done

python3 - "$work" "$records" "$runs" "$duration" "$root/benches" <<'PY'
import json, re, statistics, sys
work, n, runs, duration = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
sys.path.insert(0, sys.argv[5])
import wrkstats
rows = []
for r in range(1, runs + 1):
    d = f"{work}/run-{r}"
    ev = json.load(open(f"{d}/eval.json"))
    f = {"http_ingest": n / float(open(f"{d}/http_ingest_seconds").read()),
         "inproc_ingest": ev["docs_per_second"],
         "search_p50": ev["search_p50_ms"], "search_p99": ev["search_p99_ms"],
         "retrieval_p50": ev["retrieval_p50_ms"], "retrieval_p99": ev["retrieval_p99_ms"],
         "ndcg": ev["ndcg_at_10"], "mrr": ev["mrr_at_10"], "recall": ev["recall_at_100"],
         "peak_mib": int(open(f"{d}/peak_kb").read()) / 1024,
         "merge_wait": float(open(f"{d}/merge_wait_seconds").read())}
    for c in (1, 4, 16):
        w = wrkstats.read(f"{d}/wrk-{c}.out")
        f[f"rps{c}"], f[f"p50_{c}"], f[f"p99_{c}"] = w["rps"], w["p50"], w["p99"]
    try:
        peer = open(f"{d}/peer.out").read()
        f["peer_build_s"] = float(re.search(r"build\D*([\d.]+)\s*s", peer).group(1))
        f["peer_ms"] = float(re.search(r"([\d.]+)\s*ms/query", peer).group(1))
        f["peer_ndcg"] = float(re.search(r"nDCG@10\D*([\d.]+)", peer).group(1))
    except (OSError, AttributeError):
        pass
    rows.append(f)
def med(k):
    v = [r[k] for r in rows if k in r]
    return statistics.median(v) if v else float("nan")
print(f"corpus: {n} records; {runs} runs; search {duration} s per connection count; release build")
print("per run: " + "; ".join(f"ingest {r['http_ingest']:,.0f}/s, c1 p50 {r['p50_1']:.2f} ms, c4 p50 {r['p50_4']:.2f} ms" for r in rows))
print("medians:")
print(f"  ingest over HTTP {med('http_ingest'):,.0f} records/s; in-process batch path {med('inproc_ingest'):,.0f}/s "
      f"(HTTP = {med('http_ingest') / med('inproc_ingest'):.2f} x in-process)")
print(f"  index merged into one segment {med('merge_wait'):.1f} s after the last batch (searches below run after it)")
print(f"  in-process, one query at a time, limit 10: served search p50 {med('search_p50'):.2f} ms p99 {med('search_p99'):.2f}; "
      f"retrieval alone (jieba + tantivy) p50 {med('retrieval_p50'):.2f} ms p99 {med('retrieval_p99'):.2f}")
print("  connections  searches/s   p50 ms   p99 ms   p50 / in-process retrieval p50")
for c in (1, 4, 16):
    print(f"  {c:>11}  {med(f'rps{c}'):>10,.0f}  {med(f'p50_{c}'):>7.2f}  {med(f'p99_{c}'):>7.2f}  {med(f'p50_{c}') / med('retrieval_p50'):>8.2f}")
print(f"  server peak RSS {med('peak_mib'):.0f} MiB")
print(f"  quality: nDCG@10 {med('ndcg'):.4f}  MRR@10 {med('mrr'):.4f}  Recall@100 {med('recall'):.4f}")
if "peer_ms" in rows[0]:
    print(f"  peer (jieba + BM25 in Python): build {med('peer_build_s'):.1f} s, {med('peer_ms'):.2f} ms/query, nDCG@10 {med('peer_ndcg'):.4f}")
    print(f"  vs peer, indexing: HTTP {n / med('http_ingest'):.2f} s = {med('peer_build_s') * med('http_ingest') / n:.1f} x faster; "
          f"in-process {med('peer_build_s') * med('inproc_ingest') / n:.1f} x")
    print(f"  vs peer, query: retrieval alone {med('peer_ms') / med('retrieval_p50'):.1f} x faster; served in-process "
          f"{med('peer_ms') / med('search_p50'):.1f} x; over HTTP (1 connection p50) {med('peer_ms') / med('p50_1'):.1f} x")
else:
    print("  peer: not run (PEER=0, or python lacks jieba/numpy/scipy: pip install jieba numpy scipy)")
PY
