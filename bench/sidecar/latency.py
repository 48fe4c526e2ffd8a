#!/usr/bin/env python3
"""Reads JSON event lines on stdin (watch's output), stamps each on arrival and reports, for events about PATH,
the delay from the failed exec (the audit time stamp, millisecond resolution) to the line being readable here.
usage: latency.py PATH OUT_FILE   (writes 'count p50 p99 max' in milliseconds to OUT_FILE at end of input)"""
import json, sys, time
from datetime import datetime

path, out = sys.argv[1], sys.argv[2]
delays = []
for line in sys.stdin:
    arrived = time.time()
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if e.get("file", {}).get("path") != path:
        continue
    ts = datetime.strptime(e["@timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ").timestamp() - time.timezone * 0
    ts = datetime.fromisoformat(e["@timestamp"].replace("Z", "+00:00")).timestamp()
    delays.append((arrived - ts) * 1000)
delays.sort()
def pct(p):
    return delays[min(len(delays) - 1, int(len(delays) * p))] if delays else float("nan")
with open(out, "w") as f:
    f.write(f"{len(delays)} {pct(0.5):.1f} {pct(0.99):.1f} {delays[-1] if delays else float('nan'):.1f}\n")
