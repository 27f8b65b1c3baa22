"""Figures from a `wrk --latency` report (used by e2e.sh and scale.sh)."""

import re


def _ms(value):
    m = re.match(r"([\d.]+)(us|ms|s)$", value)
    if not m:
        raise ValueError(f"not a wrk duration: {value!r}")
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]


def read(path):
    """{'rps', 'p50', 'p99'} of the report at `path` (latencies in ms)."""
    out = open(path).read()
    # Anchored: "50%" also occurs inside the "+/- Stdev" column of the thread statistics.
    p50 = re.search(r"^\s*50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.M)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not (p50 and p99 and rps):
        raise SystemExit(f"no latency figures in {path}:\n{out}")
    return {"rps": float(rps.group(1)), "p50": _ms(p50.group(1)), "p99": _ms(p99.group(1))}
