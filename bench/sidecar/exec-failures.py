#!/usr/bin/env python3
"""Fails RATE execs a second for SECONDS seconds (os.execv of a file without #!, ENOEXEC) and prints how many it
attempted. usage: exec-failures.py FILE RATE SECONDS"""
import os, sys, time

path, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
interval = 1.0 / rate
start = time.monotonic()
n = 0
while True:
    due = start + n * interval
    now = time.monotonic()
    if now - start >= seconds:
        break
    if due > now:
        time.sleep(due - now)
    try:
        os.execv(path, [path])
    except OSError:
        pass
    n += 1
print(n)
