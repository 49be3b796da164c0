#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Memory does not grow with run length (BC-18, issue 3): loadbench-cli at full speed against
# loadbench-service (constant-vus, a few VUs, no think time, results.jsonl off) for 5 minutes;
# prints the CLI's RSS at 30 s and at the end, the growth in %, and the size of intervals.lbh.
# Fails when RSS grows by 5 % or more. LOADBENCH_BENCH_SECONDS shortens the run (>= 40).
# Negative control (CASES.md BC-18): LOADBENCH_BENCH_NEGATIVE_CONTROL=1 runs the CLI with
# LOADBENCH_DEBUG_KEEP_RAW_SAMPLES=1 (every request's 8 trend values kept, as k6's TrendSink
# does) and fails unless RSS grows by 5 % or more: it proves this benchmark detects per-sample
# storage (64 bytes a request: at 1 000 requests/s, ≈ 3.7 MB from 30 s to 90 s).
# Usage: memory_growth.sh LOADBENCH_CLI LOADBENCH_SERVICE   (ctest -L bench passes both)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"

cli=${1:-${LOADBENCH_CLI:-}}
service=${2:-${LOADBENCH_SERVICE:-}}
seconds=${LOADBENCH_BENCH_SECONDS:-300}
vus=${LOADBENCH_BENCH_VUS:-4}
negative_control=${LOADBENCH_BENCH_NEGATIVE_CONTROL:-0}
if [[ -z "$cli" || -z "$service" ]]; then
    echo "usage: $0 LOADBENCH_CLI LOADBENCH_SERVICE" >&2
    exit 2
fi
if (( seconds < 40 )); then
    echo "LOADBENCH_BENCH_SECONDS must be at least 40 (the first sample is at 30 s)" >&2
    exit 2
fi

work=$(mktemp -d)
service_pid=""
cli_pid=""
cleanup() {
    [[ -n "$cli_pid" ]] && kill "$cli_pid" 2>/dev/null || true
    [[ -n "$service_pid" ]] && kill "$service_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

start_service "$service" "$work" --threads 2

cat >"$work/scenario.json" <<JSON
{"name": "memory-bench", "target": {"url": "http://127.0.0.1:$port/api/health"},
 "vus": $vus, "duration": "${seconds}s"}
JSON

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

keep_raw=0
[[ "$negative_control" == 1 ]] && keep_raw=1
LOADBENCH_DEBUG_KEEP_RAW_SAMPLES=$keep_raw "$cli" run "$work/scenario.json" --report-dir "$work/run" -q >"$work/cli.out" 2>"$work/cli.err" &
cli_pid=$!
start=$(date +%s)
sleep 30
rss30=$(rss_kib "$cli_pid")
# The last sample a couple of seconds before the planned end: the run is still at full speed.
sleep $(( seconds - 30 - 2 ))
rss_end=$(rss_kib "$cli_pid")
elapsed=$(( $(date +%s) - start ))
set +e
wait "$cli_pid"
code=$?
set -e
cli_pid=""

requests=$(sed -n 's/.*http_reqs[ .]*: *\([0-9][0-9]*\).*/\1/p' "$work/cli.out" | head -1)
rate=$(awk -v n="${requests:-0}" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
intervals_bytes=$(stat -c %s "$work/run/intervals.lbh" 2>/dev/null || echo 0)
growth=$(awk -v a="$rss30" -v b="$rss_end" 'BEGIN { printf "%.2f", (a > 0 ? (b - a) * 100 / a : 0) }')
echo "memory growth benchmark$([[ "$negative_control" == 1 ]] && echo " (negative control)"): ${vus} VUs, ${seconds} s, ${requests:-?} requests (${rate}/s), exit code ${code}"
echo "RSS at 30 s:   $(( rss30 / 1024 )) MiB (${rss30} KiB)"
echo "RSS at ${elapsed} s: $(( rss_end / 1024 )) MiB (${rss_end} KiB)"
echo "growth:        ${growth} % (target < 5 %)"
echo "intervals.lbh: ${intervals_bytes} bytes ($(awk -v b="$intervals_bytes" -v s="$seconds" 'BEGIN { printf "%.1f KB/s, %.2f MB per 10 min", b / s / 1000, b / s * 600 / 1e6 }'))"
if [[ "$code" -ne 0 ]]; then
    echo "loadbench-cli failed:" >&2
    cat "$work/cli.err" >&2
    exit 1
fi
if [[ "$negative_control" == 1 ]]; then
    echo "negative control: raw samples kept, growth must be >= 5 %"
    awk -v g="$growth" 'BEGIN { exit !(g + 0 >= 5) }' || { echo "negative control: RSS grew by only ${growth} %: this benchmark cannot see per-sample storage" >&2; exit 1; }
    exit 0
fi
awk -v g="$growth" 'BEGIN { exit !(g + 0 < 5) }' || { echo "RSS grew by ${growth} % (>= 5 %)" >&2; exit 1; }
