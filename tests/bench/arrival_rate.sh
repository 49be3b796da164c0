#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The open model's exact figure (issue 3): constant-arrival-rate 200/s for 5 s against
# loadbench-service must start 1000 iterations ± 1 % with none dropped. Prints iterations,
# dropped_iterations, http_reqs and the scheduled-time p99 from the run's summary.json; fails
# outside 990..1010. Run it alone (`make bench`): a loaded machine delays timers.
# Usage: arrival_rate.sh LOADBENCH_CLI LOADBENCH_SERVICE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"

cli=${1:-${LOADBENCH_CLI:-}}
service=${2:-${LOADBENCH_SERVICE:-}}
if [[ -z "$cli" || -z "$service" ]]; then
    echo "usage: $0 LOADBENCH_CLI LOADBENCH_SERVICE" >&2
    exit 2
fi
work=$(mktemp -d)
service_pid=""
cleanup() {
    [[ -n "$service_pid" ]] && kill "$service_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

start_service "$service" "$work"

cat >"$work/scenario.json" <<JSON
{"name": "arrival-rate-bench", "target": {"url": "http://127.0.0.1:$port/api/health"},
 "scenarios": {"open": {"executor": "constant-arrival-rate", "rate": 200, "timeUnit": "1s",
                        "duration": "5s", "preAllocatedVUs": 50, "maxVUs": 200}}}
JSON
"$cli" run "$work/scenario.json" --summary-export "$work/summary.json" --report-dir "$work/run" -q \
    >"$work/cli.out" 2>"$work/cli.err" || { cat "$work/cli.err" >&2; exit 1; }

python3 - "$work/summary.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
iterations = int(m["iterations"]["count"])
dropped = int(m.get("dropped_iterations", {}).get("count", 0))
reqs = int(m["http_reqs"]["count"])
sched = m.get("http_req_scheduled_duration", {})
p99 = sched.get("p(99)", sched.get("p(95)", 0))
print(f"constant-arrival-rate 200/s for 5 s: {iterations} iterations (target 1000 ± 1 %), "
      f"{dropped} dropped, {reqs} requests, scheduled-time p95/p99 {p99:.2f} ms")
sys.exit(0 if 990 <= iterations + dropped <= 1010 and dropped == 0 else 1)
PY
