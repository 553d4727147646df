#!/usr/bin/env python3
"""Medians and ranges over repeated runs (bench/jvmflags.sh writes run ids <prefix>-r1, -r2, ...).

    bench/medians.py RUN_ID_PREFIX [results.csv]

One line per server and step: the median of each figure and its range (min-max) over the runs
whose id starts with the prefix, as markdown table rows.
"""
import csv, statistics, sys
from collections import defaultdict

prefix = sys.argv[1]
path = sys.argv[2] if len(sys.argv) > 2 else "bench/results/results.csv"
groups = defaultdict(list)
order = []
for row in csv.DictReader(open(path)):
    if not row["run_id"].startswith(prefix) or row["run_id"].endswith(("-register", "-prime")):
        continue
    key = (row["server"], row["scenario"], row["step"])
    if key not in groups:
        order.append(key)
    groups[key].append(row)

def fig(rows, col, scale=1.0, fmt="{:.1f}"):
    vals = [float(r[col]) / scale for r in rows if r[col] not in ("", "-1", "-1.0")]
    if not vals:
        return ""
    med = statistics.median(vals)
    if len(vals) == 1:
        return fmt.format(med)
    return (fmt + " ({}–{})").format(med, fmt.format(min(vals)), fmt.format(max(vals)))

chat = [k for k in order if k[1] == "chat"]
mem = [k for k in order if k[1] != "chat"]
if chat:
    print("| server | step | n | delivered/s | p50 ms | p99 ms | p99.9 ms | max ms | server CPU % | errors |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k in chat:
        r = groups[k]
        print(f"| {k[0]} | {k[2]} | {len(r)} | {fig(r, 'rate_per_s', fmt='{:.0f}')} | {fig(r, 'p50_ms', fmt='{:.2f}')} | "
              f"{fig(r, 'p99_ms')} | {fig(r, 'p999_ms')} | {fig(r, 'max_ms', fmt='{:.0f}')} | "
              f"{fig(r, 'server_cpu_pct', fmt='{:.0f}')} | {fig(r, 'errors', fmt='{:.0f}')} |")
if mem:
    print("| server | scenario | step | n | logins/s | errors | RSS MB | heap after GC MB | RSS/session KB | heap/session KB |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for k in mem:
        r = groups[k]
        print(f"| {k[0]} | {k[1]} | {k[2]} | {len(r)} | {fig(r, 'rate_per_s', fmt='{:.0f}')} | {fig(r, 'errors', fmt='{:.0f}')} | "
              f"{fig(r, 'rss_kb', 1024, '{:.0f}')} | {fig(r, 'heap_kb', 1024, '{:.0f}')} | "
              f"{fig(r, 'rss_per_session_b', 1000)} | {fig(r, 'heap_per_session_b', 1000)} |")
