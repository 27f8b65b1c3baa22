#!/usr/bin/env bash
# End-to-end load test, loopback only, bounded in time:
#   DURATION seconds (default 60) of concurrent searches with wrk (CONNS connections, default 16),
#   using the dataset's own queries, while its corpus (STARD: 58,526 articles) is ingested through
#   POST /v1/records by `lantai ingest`. Reports search throughput, latency percentiles, errors
#   (must be 0), ingest rate and the server's peak RSS.
#
# Usage: benches/load.sh [DATASET_DIR]      (needs wrk: apt-get install wrk; python3)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=benches/common.sh
. "$root/benches/common.sh"
dataset=${1:-$root/../shared/datasets/stard}
duration=${DURATION:-60}
conns=${CONNS:-16}
bin=$root/target/release/lantai
key=load-test-admin-key

# The corpus as Lantai records, and the queries URL-encoded (quote characters read as spaces).
bench_setup "$dataset"

start_server "$bin" "$work" "$key"

echo "server $url (pid $pid), $conns connections for ${duration}s while ingesting $(wc -l < "$work/records.jsonl") records"
QUERIES=$work/queries.txt KEY=$key wrk -t2 -c"$conns" -d"${duration}s" --timeout 10s --latency -s "$work/search.lua" "$url" > "$work/wrk.out" &
wrk_pid=$!
start=$(date +%s.%N)
"$bin" ingest "$work/records.jsonl" --server "$url" --key "$key" --quiet --batch-size 5000 > "$work/ingest.out"
end=$(date +%s.%N)
wait "$wrk_pid"

records=$(wc -l < "$work/records.jsonl")
peak_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
now_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
cat "$work/wrk.out"
echo "ingest: $(cat "$work/ingest.out")"
python3 - "$records" "$start" "$end" "$peak_kb" "$now_kb" <<'PY'
import sys
n, start, end, peak, now = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"ingest: {n} records in {end - start:.1f} s = {n / (end - start):.0f} records/s over HTTP (during the search load)")
print(f"peak RSS of the server: {peak / 1024:.0f} MiB; after the run (serving the full corpus): {now / 1024:.0f} MiB")
PY
errors=$(grep -E "Non-2xx|Socket errors" "$work/wrk.out" || true)
if [ -n "$errors" ]; then echo "ERRORS: $errors"; exit 1; fi
echo "errors: 0"
kill -TERM "$pid"; wait "$pid" || true
