#!/usr/bin/env python3
"""Runs a command with stdout and stderr discarded and prints 'WALL CPU' in seconds (CPU = user + system of the
command and its children), so that throughput can be judged by CPU time on a busy machine as well."""
import os, resource, subprocess, sys, time

before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
wall = time.monotonic() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"{wall:.3f} {cpu:.3f}")
