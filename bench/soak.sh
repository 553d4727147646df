#!/bin/bash
# The soak of issue 12: Parley alone, steady 1:1 chat among online users while logins and logouts
# churn, for SOAK_SECONDS, sampling the server every SAMPLE_SECONDS — RSS, JVM heap after a full GC,
# threads, open files — then a trend check over the second half of the run (the first half is
# warm-up: caches, JIT, pools): a least-squares line through each series, and the growth it implies
# over that half, against a tolerance. Exit status 1 when a series grows.
#
#   bench/soak.sh                       # the documented hour (SOAK_SECONDS=3600)
#   SOAK_SECONDS=600 bench/soak.sh      # a short run
#
# Env: SOAK_USERS=500 SOAK_RATE=200 (msgs/s) SOAK_CHURN=5 (logouts and logins per second)
#      SAMPLE_SECONDS=30  ARCHIVE=on (as a default server; off to leave the archive out)
#      BENCH_PORT=5522 PEERS_DIR=/tmp/peers (bench/peers/peer.sh)  SERVER_CPUS=1 GEN_CPUS=0
# Writes bench/results/soak-<run id>.csv (the samples) and .log (the generator's lines, the verdict).
# The samples split RSS into the pages of the heap's range and the rest (nonheap: direct buffers, code,
# metaspace, threads), so a growing RSS says whether the heap's committed pages or native memory grow.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
cd "$REPO"
SECONDS_TOTAL=${SOAK_SECONDS:-3600}
USERS=${SOAK_USERS:-500}
RATE=${SOAK_RATE:-200}
CHURN=${SOAK_CHURN:-5}
SAMPLE=${SAMPLE_SECONDS:-30}
export ARCHIVE=${ARCHIVE:-on}
export PEERS_DIR=${PEERS_DIR:-/tmp/peers}
RUN_ID=${RUN_ID:-$(date -u +%Y%m%dT%H%M%SZ)-soak}
RESULTS=bench/results; mkdir -p $RESULTS
CSV=$RESULTS/soak-$RUN_ID.csv; LOG=$RESULTS/soak-$RUN_ID.log
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED ${MAVEN_OPTS:-}"
./mvnw -q -B -pl server,bench/loadgen -am package -DskipTests

sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  bench/peers/peer.sh stop parley >/dev/null 2>&1 || true
}
trap cleanup EXIT
pid=$(bench/peers/peer.sh start parley | tail -1)
echo "== soak: Parley pid $pid, $USERS users, $RATE msgs/s, churn $CHURN/s, ${SECONDS_TOTAL}s (run $RUN_ID)" | tee "$LOG" >&2
if [ "$(cat "$PEERS_DIR/parley/registered" 2>/dev/null || echo 0)" -lt "$USERS" ]; then
  bench/loadgen.sh register --users "$USERS" --rate 300 --server-name parley --run-id "$RUN_ID-register" \
      --results "$PEERS_DIR/parley/register" | grep -q "errors=0" && echo "$USERS" > "$PEERS_DIR/parley/registered"
fi

heap_sample() { # "heap used after a full GC, KB (the sum over generations),RSS of the heap's address range, KB"
  "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null 2>&1 || true
  "$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info 2>/dev/null | python3 -c '
import re, sys
text = sys.stdin.read()
t = 0
for m in re.finditer(r"(?:total|committed) \d+K, used (\d+)K|ZHeap\s+used (\d+)M", text):
    t += int(m.group(1)) if m.group(1) else int(m.group(2)) * 1024
# the heap is one reserved range: the pages of it the process has touched are the heap part of RSS
addrs = [int(a, 16) for a in re.findall(r"0x[0-9a-f]{8,}", text)]
if not addrs:
    sys.exit(1)
lo, hi, start, end, rss = min(addrs), max(addrs), None, None, 0
for line in open("/proc/" + sys.argv[1] + "/smaps"):
    m = re.match(r"([0-9a-f]+)-([0-9a-f]+) ", line)
    if m:
        start, end = int(m.group(1), 16), int(m.group(2), 16)
    elif line.startswith("Rss:") and start is not None and start < hi and end > lo:
        rss += int(line.split()[1])
print(f"{t},{rss}")' "$pid" 2>/dev/null || echo ","
}
sample() {
  echo "t_s,rss_kb,heap_after_gc_kb,heap_rss_kb,nonheap_rss_kb,threads,fds" > "$CSV"
  local t0=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    local rss threads fds heap
    heap=$(heap_sample)
    rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status); threads=$(awk '/Threads/ {print $2}' /proc/$pid/status)
    fds=$(ls /proc/$pid/fd | wc -l)
    local heap_rss=${heap#*,} nonheap=""   # empty when jcmd failed: the row is left out of the trend
    [ -n "$heap_rss" ] && nonheap=$((rss - heap_rss))
    echo "$((SECONDS - t0)),$rss,$heap,$nonheap,$threads,$fds" >> "$CSV"
    sleep "$SAMPLE"
  done
}
sample & sampler=$!
bench/loadgen.sh soak --users "$USERS" --rate "$RATE" --churn "$CHURN" --seconds "$SECONDS_TOTAL" \
    --server-pid "$pid" --server-name parley --scram-cache "$PEERS_DIR/parley/scram-cache" \
    --run-id "$RUN_ID" --results $RESULTS | tee -a "$LOG"
sleep "$SAMPLE"
kill "$sampler" 2>/dev/null || true; sampler=""

python3 - "$CSV" <<'PY' | tee -a "$LOG"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if all(v.strip().lstrip('-').isdigit() for v in r.values())]
rows = [{k: int(v) for k, v in r.items()} for r in rows]
half = [r for r in rows if r["t_s"] >= rows[-1]["t_s"] / 2]
# what a series may grow over the second half before it counts as a trend
tolerance = {"rss_kb": (0.05, 16 * 1024), "heap_after_gc_kb": (0.10, 8 * 1024), "threads": (0.0, 4), "fds": (0.0, 16)}
# RSS split into the pages of the heap's range and the rest (direct buffers, code, metaspace, threads):
# reported beside it, so a growing RSS shows whether the heap's committed pages or native memory grow
shown = {"heap_rss_kb": (0.05, 16 * 1024), "nonheap_rss_kb": (0.05, 16 * 1024)}
ok = True
print(f"trend over the second half: {len(half)} samples, t = {half[0]['t_s']}..{half[-1]['t_s']} s")
for key, (share, floor) in list(tolerance.items()) + list(shown.items()):
    if key not in half[0]:
        continue
    xs = [r["t_s"] for r in half]; ys = [r[key] for r in half]
    n = len(xs); mx = sum(xs) / n; my = sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    growth = slope * (xs[-1] - xs[0])
    allowed = max(share * my, floor)
    verdict = "no trend" if growth <= allowed else "GROWS"
    ok &= growth <= allowed or key in shown
    verdict += "" if key in tolerance else " (shown, not judged)"
    print(f"  {key:17} first {ys[0]:>9} last {ys[-1]:>9} mean {my:>11.0f} fitted growth {growth:>10.0f}"
          f" (per hour {slope * 3600:>10.0f}; allowed {allowed:.0f}): {verdict}")
print("SOAK VERDICT:", "no growth trend" if ok else "a series grows")
sys.exit(0 if ok else 1)
PY
