#!/usr/bin/env bash
# Scale run: the dataset's corpus replicated ×1, ×4, ×16 (distinct ids: the copies are new
# records with the same text), each into a fresh server. Per scale: ingest over HTTP (time,
# records/s), the wait until the server has merged its index by itself (merge_s), index and
# store size on disk, search latency with the dataset's queries at 1 and
# 4 connections (wrk, DURATION s each, default 15), and the server's peak RSS.
#
# Usage: benches/scale.sh [DATASET_DIR]      (needs wrk and python3; SCALES="1 4 16" to choose)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=benches/common.sh
. "$root/benches/common.sh"
dataset=${1:-$root/../shared/datasets/stard}
duration=${DURATION:-15}
scales=${SCALES:-1 4 16}
bin=$root/target/release/lantai
key=scale-bench-admin-key

bench_setup "$dataset"

echo "scale  records    ingest_s  records/s  merge_s  index_MiB  store_MiB  c1_p50  c1_p99  c4_p50  c4_p99  c4_rps  peak_RSS_MiB"
for n in $scales; do
  rm -rf "$work/data"
  python3 - "$work/records.jsonl" "$n" > "$work/scaled.jsonl" <<'PY'
import json, sys
path, n = sys.argv[1], int(sys.argv[2])
lines = open(path).read().splitlines()
for k in range(n):
    for line in lines:
        if k == 0:
            print(line)
        else:
            r = json.loads(line)
            r["id"] = f"{r['id']}~{k}"
            print(json.dumps(r, ensure_ascii=False))
PY
  records=$(wc -l < "$work/scaled.jsonl")
  LANTAI__RANKING__SWAP_RATE=0 start_server "$bin" "$work" "$key"
  start=$(date +%s.%N)
  "$bin" ingest "$work/scaled.jsonl" --server "$url" --key "$key" --quiet --batch-size 5000 > "$work/ingest.out"
  end=$(date +%s.%N)
  merge_s=$(wait_merged 900)
  for c in 1 4; do search_load "$c" "$duration" "$work/wrk-$c.out"; done
  peak_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
  kill -TERM "$pid"; wait "$pid" || true
  index_kb=$(du -sk "$work/data/index" | cut -f1)
  store_kb=$(du -sk "$work/data/store" | cut -f1)
  python3 - "$work" "$n" "$records" "$start" "$end" "$index_kb" "$store_kb" "$peak_kb" "$root/benches" "$merge_s" <<'PY'
import sys
work, n, records, start, end, index_kb, store_kb, peak_kb, here, merge_s = sys.argv[1:]
sys.path.insert(0, here)
import wrkstats
def lat(c):
    w = wrkstats.read(f"{work}/wrk-{c}.out")
    return w["p50"], w["p99"], w["rps"]
secs = float(end) - float(start)
c1, c4 = lat(1), lat(4)
print(f"x{n:<5} {int(records):<10} {secs:>8.1f}  {int(records)/secs:>9,.0f}  {float(merge_s):>7.1f}  {int(index_kb)/1024:>9.0f}  "
      f"{int(store_kb)/1024:>9.0f}  {c1[0]:>6.2f}  {c1[1]:>6.2f}  {c4[0]:>6.2f}  {c4[1]:>6.2f}  {c4[2]:>6,.0f}  "
      f"{int(peak_kb)/1024:>12.0f}")
PY
done
