#!/usr/bin/env python3
"""Baseline for the latency benchmark: a bare reader of the audit multicast group that stamps each SYSCALL record
of a failed exec of PATH on arrival and reports the delay from its audit time stamp - what the kernel's delivery
alone costs. usage: netlink-latency.py PATH SECONDS OUT_FILE"""
import re, select, socket, struct, sys, time

path, seconds, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
hexpath = path.encode().hex().upper()
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 9)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind((0, 1))
stamp = re.compile(rb"audit\((\d+)\.(\d+):(\d+)\)")
delays = []
pending = {}
end = time.time() + seconds
while time.time() < end:
    r, _, _ = select.select([s], [], [], 0.2)
    if not r:
        continue
    data = s.recv(65536)
    arrived = time.time()
    typ = struct.unpack("=IHHII", data[:16])[1]
    m = stamp.search(data)
    if not m:
        continue
    key = m.group(3)
    if typ == 1302 and (b'name="' + path.encode() + b'"' in data or hexpath.encode() in data):
        pending[key] = int(m.group(1)) + int(m.group(2)) / 1000.0
    elif typ == 1320 and key in pending:
        delays.append((arrived - pending.pop(key)) * 1000)
delays.sort()
def pct(p):
    return delays[min(len(delays) - 1, int(len(delays) * p))] if delays else float("nan")
with open(out, "w") as f:
    f.write(f"{len(delays)} {pct(0.5):.1f} {pct(0.99):.1f} {delays[-1] if delays else float('nan'):.1f}\n")
