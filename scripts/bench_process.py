#!/usr/bin/env python3
"""Whole-process time of `policylint check` on one small file.

    scripts/bench_process.py [--binary target/release/policylint] [--runs 100] [FILE]

Starts the binary FILE-many times (default: the seed document, about 12 KB)
and prints the minimum, median and mean wall-clock time per run: start-up,
reading, parsing, every rule and printing included.
"""
import argparse
import os
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ap = argparse.ArgumentParser()
ap.add_argument('--binary', default=os.path.join(ROOT, 'target', 'release', 'policylint'))
ap.add_argument('--runs', type=int, default=100)
ap.add_argument('file', nargs='?', default=os.path.join(ROOT, 'seeds', 'cyberspace-community.txt'))
args = ap.parse_args()

cmd = [args.binary, 'check', '--no-config', '--output-format', 'concise', args.file]
subprocess.run(cmd, stdout=subprocess.DEVNULL)  # warm the page cache
times = []
for _ in range(args.runs):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - start)
ms = [t * 1000 for t in times]
print('%s (%d bytes), %d runs: min %.2f ms, median %.2f ms, mean %.2f ms' % (
    os.path.relpath(args.file), os.path.getsize(args.file), args.runs,
    min(ms), statistics.median(ms), statistics.mean(ms)))
