#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The engine benchmark (issue 4): how close Loadbench's own overhead gets to wrk's.
# One loadbench-service with one thread on a free loopback port; then, ROUNDS times, at 1 and at
# 50 connections, each tool for SECONDS: wrk (Debian), autocannon (npm, installed here from
# tests/bench/package-lock.json into the build folder), loadbench-cli --engine native and
# loadbench-cli --engine qnam. The tools take turns, and the order rotates every round, so a
# neighbour's load on a shared machine falls on all of them alike; each ratio to wrk is taken
# within one round and the median over rounds is reported. Then the memory a VU costs:
# loadbench-cli (native) holding 1000 open VUs against a 1-VU baseline.
#
# Prints a table (req/s, p50, p99, each as a ratio to wrk, peak RSS) and PASS/MISS for the
# native engine's targets, and writes the same as Markdown for the README to
# OUT_DIR/bench-engines.md. Misses are reported, not failed: a benchmark measures. It fails
# (exit 1) when something did not run: a tool that crashed or got no answers, a missing wrk,
# a loadbench-cli without --engine. autocannon that npm could not install is "not available".
#
# Usage: engines.sh LOADBENCH_CLI LOADBENCH_SERVICE [OUT_DIR]   (ctest -L bench passes all three)
# Environment: LOADBENCH_BENCH_SECONDS (10) per measurement, LOADBENCH_BENCH_ROUNDS (3),
#   LOADBENCH_BENCH_CLI_THREADS (1: one event loop, like wrk -t1 and node), LOADBENCH_BENCH_VUS
#   (1000, the memory test), LOADBENCH_QT_VERSION (CMake passes the Qt it built with).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"

cli=${1:-${LOADBENCH_CLI:-}}
service=${2:-${LOADBENCH_SERVICE:-}}
out_dir=${3:-${LOADBENCH_BENCH_OUT:-$PWD}}
seconds=${LOADBENCH_BENCH_SECONDS:-10}
rounds=${LOADBENCH_BENCH_ROUNDS:-3}
cli_threads=${LOADBENCH_BENCH_CLI_THREADS:-1}
memory_vus=${LOADBENCH_BENCH_VUS:-1000}
connection_counts=(1 50)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ -z "$cli" || -z "$service" ]]; then
    echo "usage: $0 LOADBENCH_CLI LOADBENCH_SERVICE [OUT_DIR]" >&2
    exit 2
fi
for n in "$seconds" "$rounds" "$cli_threads" "$memory_vus"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "engines.sh: LOADBENCH_BENCH_* must be positive integers, got \"$n\"" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "engines.sh: wrk is missing, the reference of every ratio: run packaging/install-deps.sh (Debian package wrk)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "engines.sh: python3 is missing (it reads the tools' outputs)" >&2; exit 1; }
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)

work=$(mktemp -d)
service_pid=""
bg_pid=""
cleanup() {
    [[ -n "$bg_pid" ]] && kill "$bg_pid" 2>/dev/null || true
    [[ -n "$service_pid" ]] && kill "$service_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

results="$work/results.tsv" # round, connections, tool, status, req/s, p50 ms, p99 ms, peak RSS KiB, requests, errors, note
: >"$results"
notes="$work/notes.txt"
: >"$notes"

# --- loadbench-cli: does it have --engine (and --threads)? ----------------------------------
cli_help=$("$cli" --help 2>&1 || true)
has_engine=0
has_threads=0
grep -q -- '--engine' <<<"$cli_help" && has_engine=1
grep -q -- '--threads' <<<"$cli_help" && has_threads=1
if (( ! has_engine )); then
    echo "engines.sh: $cli has no --engine flag (the native engine is not built in yet): measuring its default engine only; native rows are \"not available\" and the benchmark fails" | tee -a "$notes"
fi
cli_thread_args=()
if (( has_threads )); then
    cli_thread_args=(--threads "$cli_threads")
else
    echo "engines.sh: $cli has no --threads flag: it runs its default number of worker threads" | tee -a "$notes"
fi

# --- autocannon from the benchmark's own npm set-up ---------------------------------------
npm_dir="$out_dir/bench-npm"
autocannon=""
autocannon_version=""
if ! command -v npm >/dev/null; then
    echo "engines.sh: npm is missing (Debian package npm): autocannon not available" | tee -a "$notes"
else
    mkdir -p "$npm_dir"
    if cmp -s "$here/package-lock.json" "$npm_dir/package-lock.json" && [[ -x "$npm_dir/node_modules/.bin/autocannon" ]]; then
        : # installed from this very lock file before: works offline
    else
        cp "$here/package.json" "$here/package-lock.json" "$npm_dir/"
        if ! (cd "$npm_dir" && timeout 300 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >"$work/npm.log" 2>&1; then
            echo "engines.sh: npm ci in $npm_dir failed ($(grep -m1 -i 'err' "$work/npm.log" || tail -1 "$work/npm.log")): autocannon not available" | tee -a "$notes"
            rm -f "$npm_dir/package-lock.json" # retried next time
        fi
    fi
    if [[ -x "$npm_dir/node_modules/.bin/autocannon" ]]; then
        autocannon="$npm_dir/node_modules/.bin/autocannon"
        autocannon_version=$(node -p "require('$npm_dir/node_modules/autocannon/package.json').version" 2>/dev/null || echo "?")
    fi
fi

# --- the service --------------------------------------------------------------------------
# 1000 VUs are 1000 connections on the service's side too.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
start_service "$service" "$work" --threads 1 --max-connections $(( memory_vus + 100 ))
url="http://127.0.0.1:$port/api/health"

# --- running one measurement --------------------------------------------------------------
# run_measured OUT RSS CMD...: runs CMD with stdout+stderr in OUT, its peak RSS (KiB) in RSS.
# /usr/bin/time reads it from the kernel at exit; without it, VmHWM is polled until the end.
run_measured() {
    local out=$1 rss=$2
    shift 2
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f %M -o "$rss" "$@" >"$out" 2>&1
        return
    fi
    "$@" >"$out" 2>&1 &
    bg_pid=$!
    local peak=0 hwm
    while kill -0 "$bg_pid" 2>/dev/null; do
        hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$bg_pid/status" 2>/dev/null || true)
        [[ -n "$hwm" ]] && (( hwm > peak )) && peak=$hwm
        sleep 0.2
    done
    echo "$peak" >"$rss"
    local code=0
    wait "$bg_pid" || code=$?
    bg_pid=""
    return "$code"
}

# record ROUND CONNS TOOL STATUS PARSED_LINE RSS_FILE
record() {
    local rss
    rss=$(tail -1 "$6" 2>/dev/null | tr -dc 0-9)
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "${rss:-0}" >>"$results"
}

# Each parser prints "req/s<TAB>p50 ms<TAB>p99 ms<TAB>requests<TAB>errors" or fails.
parse_wrk() {
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
unit = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4, "h": 3.6e6}
def pct(p):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s|m|h)\s*$" % p, text, re.M)
    return float(m.group(1)) * unit[m.group(2)]
rps = float(re.search(r"Requests/sec:\s*([\d.]+)", text).group(1))
requests = int(re.search(r"(\d+) requests in", text).group(1))
errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
m = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
errors += int(m.group(1)) if m else 0
print(f"{rps}\t{pct(50)}\t{pct(99)}\t{requests}\t{errors}")
PY
}
parse_autocannon() {
    python3 - "$1" <<'PY'
import json, sys
# --json prints one JSON line; anything else on the output is a warning.
doc = next(json.loads(l) for l in open(sys.argv[1]) if l.lstrip().startswith("{"))
total = doc["requests"]["total"]
errors = doc["errors"] + doc["timeouts"] + doc["non2xx"]
print(f"{total / doc['duration']}\t{doc['latency']['p50']}\t{doc['latency']['p99']}\t{total}\t{errors}")
PY
}
parse_summary() { # summary.json, the engine that must have run
    python3 - "$1" "$2" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
ran = doc.get("loadbench", {}).get("engine", "?")
if sys.argv[2] != "any" and ran != sys.argv[2]:
    sys.exit(f"summary.json says engine {ran!r}, expected {sys.argv[2]!r}")
m = doc["metrics"]
reqs = m["http_reqs"]
failed = m.get("http_req_failed", {})
duration = m["http_req_duration"]
print(f"{reqs['rate']}\t{duration['med']}\t{duration['p(99)']}\t{int(reqs['count'])}\t{int(failed.get('passes', 0))}")
PY
}

cli_scenario() { # VUS DURATION_S THINK_TIME
    local think=""
    [[ -n "${3:-}" ]] && think=", \"thinkTime\": \"$3\""
    cat <<JSON
{"name": "engines-bench", "target": {"url": "$url"$think},
 "vus": $1, "duration": "${2}s",
 "summaryTrendStats": ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"]}
JSON
}

# --- the same request from every tool --------------------------------------------------------
# The service's cost per request grows with each header it parses (here wrk -c50 fell from
# ~104k to ~87k req/s given loadbench's two extra headers), so a ratio is fair only when the
# tools send the same bytes. The native engine's request head is captured once from a listener
# of our own, and its headers but Host are given to wrk and autocannon with -H. (QNAM adds
# headers of its own, Connection and Accept-Language among them: that is part of its cost.)
capture_headers() {
    python3 - "$cli" "$work" <<'PY'
import json, os, socket, subprocess, sys, threading
cli, work = sys.argv[1], sys.argv[2]
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(1)
listener.settimeout(20)
port = listener.getsockname()[1]
head = {}
def serve():
    # The CLI first checks that the target is reachable with a bare connect: connections that
    # close without a byte are not the request.
    while "bytes" not in head:
        conn, _ = listener.accept()
        conn.settimeout(20)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        if b"\r\n\r\n" in data:
            head["bytes"] = data.split(b"\r\n\r\n")[0]
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        conn.close()
server = threading.Thread(target=serve)
server.start()
scenario = os.path.join(work, "capture.json")
with open(scenario, "w") as f:
    json.dump({"target": {"url": f"http://127.0.0.1:{port}/api/health"}, "vus": 1, "iterations": 1}, f)
subprocess.run([cli, "run", scenario, "--engine", "native", "-q", "--report-dir", os.path.join(work, "capture-run")],
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
server.join(25)
if "bytes" not in head:
    sys.exit("no request reached the capture listener")
for line in head["bytes"].decode("latin-1").split("\r\n")[1:]:
    if not line.lower().startswith("host:"):
        print(line)
PY
}
header_args=()
if (( has_engine )); then
    if captured=$(capture_headers 2>"$work/capture.err"); then
        while IFS= read -r line; do
            [[ -n "$line" ]] && header_args+=(-H "$line")
        done <<<"$captured"
        echo "request: GET /api/health, Host and: ${captured//$'\n'/, } (from every tool; QNAM adds its own)" | tee -a "$notes"
    else
        echo "engines.sh: could not capture loadbench's request headers ($(cat "$work/capture.err")): wrk and autocannon send their own" | tee -a "$notes"
    fi
fi

failures=0
# measure ROUND CONNS TOOL
measure() {
    local round=$1 conns=$2 tool=$3
    local tag="$work/r${round}-c${conns}-${tool}"
    local code=0 parsed="" status=ok
    case "$tool" in
    wrk)
        run_measured "$tag.out" "$tag.rss" wrk -t1 -c"$conns" -d"${seconds}s" --latency "${header_args[@]}" "$url" || code=$?
        (( code == 0 )) && parsed=$(parse_wrk "$tag.out" 2>"$tag.err") || true
        ;;
    autocannon)
        if [[ -z "$autocannon" ]]; then
            record "$round" "$conns" "$tool" "not available" "" /dev/null
            return
        fi
        run_measured "$tag.out" "$tag.rss" "$autocannon" -c "$conns" -d "$seconds" --json "${header_args[@]}" "$url" || code=$?
        (( code == 0 )) && parsed=$(parse_autocannon "$tag.out" 2>"$tag.err") || true
        ;;
    native|qnam)
        local engine_args=() expect=$tool
        if (( has_engine )); then
            engine_args=(--engine "$tool")
        elif [[ "$tool" == native ]]; then
            record "$round" "$conns" "$tool" "not available" "" /dev/null
            return
        else
            expect=any # the default engine, whatever it is
        fi
        cli_scenario "$conns" "$seconds" >"$tag.json"
        run_measured "$tag.out" "$tag.rss" "$cli" run "$tag.json" "${engine_args[@]}" "${cli_thread_args[@]}" \
            --summary-export "$tag.summary.json" --report-dir "$tag.run" -q || code=$?
        (( code == 0 )) && parsed=$(parse_summary "$tag.summary.json" "$expect" 2>"$tag.err") || true
        rm -rf "$tag.run"
        ;;
    esac
    local requests errors
    requests=$(cut -f4 <<<"$parsed")
    errors=$(cut -f5 <<<"$parsed")
    if (( code != 0 )) || [[ -z "$parsed" ]]; then
        status=failed
        echo "engines.sh: $tool at $conns connections (round $round) failed (exit $code):" | tee -a "$notes" >&2
        { tail -5 "$tag.out"; cat "$tag.err" 2>/dev/null || true; } | sed 's/^/    /' | tee -a "$notes" >&2
    elif (( requests == 0 || errors >= requests )); then
        status=failed
        echo "engines.sh: $tool at $conns connections (round $round) got no good answer ($requests requests, $errors errors)" | tee -a "$notes" >&2
    elif (( errors > 0 )); then
        echo "engines.sh: $tool at $conns connections (round $round): $errors of $requests requests failed" | tee -a "$notes"
    fi
    [[ "$status" == failed ]] && failures=$(( failures + 1 ))
    record "$round" "$conns" "$tool" "$status" "$parsed" "$tag.rss"
    printf '  round %s, %2s connections, %-10s %s\n' "$round" "$conns" "$tool" \
        "$( [[ "$status" == ok ]] && awk -F'\t' '{printf "%8.0f req/s  p50 %.3f ms  p99 %.3f ms", $1, $2, $3}' <<<"$parsed" || echo "$status")"
}

tools=(wrk autocannon native qnam)
echo "engine benchmark: ${rounds} round(s) x ${#connection_counts[@]} connection counts x ${#tools[@]} tools x ${seconds} s against $url (loadbench-service, 1 thread)"
for (( round = 1; round <= rounds; ++round )); do
    for conns in "${connection_counts[@]}"; do
        for (( i = 0; i < ${#tools[@]}; ++i )); do
            measure "$round" "$conns" "${tools[(i + round - 1) % ${#tools[@]}]}"
            sleep 0.5 # let the service's closed connections drain between tools
        done
    done
done

# --- memory per VU: native engine, VUs kept open by a think time -----------------------------
# hold VUS: RSS (KiB) and open sockets of loadbench-cli a few seconds into a run of VUS VUs that
# each wait 1 s between requests, so every connection stays open and idle most of the time.
memory_line=""
hold_rss=0
hold_sockets=0
hold() { # sets hold_rss and hold_sockets
    local vus=$1 tag="$work/hold-$1"
    local engine_args=()
    (( has_engine )) && engine_args=(--engine native)
    cli_scenario "$vus" 8 1s >"$tag.json"
    "$cli" run "$tag.json" "${engine_args[@]}" "${cli_thread_args[@]}" --report-dir "$tag.run" -q >"$tag.out" 2>&1 &
    bg_pid=$!
    sleep 5
    hold_rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$bg_pid/status" 2>/dev/null || true)
    hold_sockets=$(find "/proc/$bg_pid/fd" -lname 'socket:*' 2>/dev/null | wc -l)
    local code=0
    wait "$bg_pid" || code=$?
    bg_pid=""
    rm -rf "$tag.run"
    if (( code != 0 )) || [[ -z "$hold_rss" || "$hold_rss" == 0 ]]; then
        echo "engines.sh: loadbench-cli holding $vus VUs failed (exit $code):" | tee -a "$notes" >&2
        tail -5 "$tag.out" | sed 's/^/    /' | tee -a "$notes" >&2
        failures=$(( failures + 1 ))
        hold_rss=0
    fi
}
if (( has_engine )); then
    echo "memory: loadbench-cli --engine native holding 1 VU, then ${memory_vus} VUs (think time 1 s, RSS at 5 s)"
    hold 1
    base_rss=$hold_rss base_sockets=$hold_sockets
    hold "$memory_vus"
    memory_line="$memory_vus	$base_rss	$base_sockets	$hold_rss	$hold_sockets"
else
    echo "memory: not measured (no --engine native)"
fi

# --- the table, the Markdown and the targets ------------------------------------------------
export BENCH_SECONDS=$seconds BENCH_ROUNDS=$rounds BENCH_CLI_THREADS=$cli_threads BENCH_HAS_THREADS=$has_threads
export BENCH_MEMORY="$memory_line"
export BENCH_CPU=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -1)
export BENCH_CORES=$(nproc)
export BENCH_DATE=$(date -u +'%Y-%m-%d %H:%M UTC')
export BENCH_QT=${LOADBENCH_QT_VERSION:-$(dpkg-query -W -f='${Version}' libqt6core6 2>/dev/null | sed 's/[+~-].*//' || echo "?")}
export BENCH_WRK=$(wrk --version 2>&1 | sed -n 's/^wrk \([^ ]*\).*/\1/p' | sed 's|^debian/||' | head -1)
export BENCH_AUTOCANNON=${autocannon_version:-not available}
export BENCH_NODE=$(node --version 2>/dev/null || echo "?")
export BENCH_CLI_VERSION=$("$cli" --version 2>/dev/null | head -1 || echo "?")
set +e
python3 - "$results" "$out_dir/bench-engines.md" "$notes" <<'PY'
import os, statistics, sys
from collections import defaultdict

results_path, md_path, notes_path = sys.argv[1:4]
env = os.environ
seconds, rounds, cli_threads = int(env["BENCH_SECONDS"]), int(env["BENCH_ROUNDS"]), int(env["BENCH_CLI_THREADS"])
memory_line = env.get("BENCH_MEMORY", "").strip()
meta = {"cpu": env.get("BENCH_CPU") or "?", "cores": env["BENCH_CORES"], "date": env["BENCH_DATE"],
        "qt": env["BENCH_QT"], "wrk": env.get("BENCH_WRK") or "?", "autocannon": env["BENCH_AUTOCANNON"],
        "node": env["BENCH_NODE"], "cli": env.get("BENCH_CLI_VERSION") or "loadbench-cli",
        "threads_flag": env["BENCH_HAS_THREADS"] == "1"}

runs = defaultdict(dict)  # (conns, tool) -> round -> dict
status = {}
for line in open(results_path):
    f = line.rstrip("\n").split("\t")
    rnd, conns, tool, st = int(f[0]), int(f[1]), f[2], f[3]
    key = (conns, tool)
    if st != "ok":
        status.setdefault(key, st)
        continue
    runs[key][rnd] = {"rps": float(f[4]), "p50": float(f[5]), "p99": float(f[6]), "rss": int(f[9])}

def ratio(key, field):
    """Median over rounds of the tool's value over wrk's in the same round."""
    wrk = runs.get((key[0], "wrk"), {})
    values = [r[field] / wrk[n][field] for n, r in runs.get(key, {}).items() if n in wrk and wrk[n][field] > 0]
    return statistics.median(values) if values else None

def median(key, field):
    values = [r[field] for r in runs.get(key, {}).values()]
    return statistics.median(values) if values else None

def latency(ms, tool):
    if ms is None:
        return "–"
    if tool == "autocannon":  # whole milliseconds only
        return "< 1 ms" if ms < 1 else f"{ms:.0f} ms"
    return f"{ms * 1000:.0f} µs" if ms < 1 else f"{ms:.2f} ms"

names = {"wrk": "wrk", "autocannon": "autocannon", "native": "loadbench-cli native", "qnam": "loadbench-cli qnam"}
header = ["tool", "connections", "req/s", "× wrk", "p50", "× wrk", "p99", "× wrk", "peak RSS"]
rows = []
for conns in (1, 50):
    for tool in ("wrk", "autocannon", "native", "qnam"):
        key = (conns, tool)
        if not runs.get(key):
            rows.append([names[tool], str(conns), status.get(key, "failed")] + ["–"] * 6)
            continue
        rps, p50, p99 = median(key, "rps"), median(key, "p50"), median(key, "p99")
        rss = max(r["rss"] for r in runs[key].values())
        fmt = lambda x: "–" if x is None else f"{x:.2f}"
        lat_ratio = (lambda f: "n/a") if tool == "autocannon" else (lambda f: fmt(ratio(key, f)))
        rows.append([names[tool], str(conns), f"{rps:,.0f}", fmt(ratio(key, "rps")), latency(p50, tool),
                     lat_ratio("p50"), latency(p99, tool), lat_ratio("p99"), f"{rss / 1024:.1f} MiB"])

targets = []
def target(label, value, limit, passed_if):
    if value is None:
        targets.append(f"NOT MEASURED  {label}")
    else:
        ok = value >= limit if passed_if == ">=" else value <= limit
        targets.append(f"{'PASS' if ok else 'MISS'}  {label}: {value:.2f} (target {passed_if} {limit:g})")
target("native req/s at 50 connections ÷ wrk's", ratio((50, "native"), "rps"), 0.9, ">=")
target("native p50 at 1 connection ÷ wrk's", ratio((1, "native"), "p50"), 1.2, "<=")

memory_text = "not measured (loadbench-cli has no --engine native)"
kb_per_vu = None
if memory_line:
    vus, base_rss, base_sockets, many_rss, many_sockets = (int(x) for x in memory_line.split("\t"))
    if base_rss and many_rss:
        kb_per_vu = (many_rss - base_rss) / (vus - 1) * 1024 / 1000  # KiB -> kB
        connections = many_sockets - base_sockets + 1
        memory_text = (f"{vus} VUs (think time 1 s): RSS {many_rss / 1024:.1f} MiB against {base_rss / 1024:.1f} MiB "
                       f"for 1 VU → {kb_per_vu:.1f} KB per VU; {connections} of {vus} connections open")
    else:
        memory_text = "failed to run"
memory_label = "memory per VU at %s open VUs, KB" % (memory_line.split("\t")[0] if memory_line else "1000")
if kb_per_vu is not None and connections < vus:
    # Fewer sockets than VUs: the engine did not hold them all open, so the figure is not per open VU.
    targets.append(f"MISS  {memory_label}: only {connections} of {vus} connections were open")
else:
    target(memory_label, kb_per_vu, 64, "<=")

widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
print()
print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
for r in rows:
    print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
print()
print("memory: " + memory_text)
for t in targets:
    print(t)

threads = f"`--threads {cli_threads}`" if meta["threads_flag"] else "its default threads"
notes = [l.rstrip() for l in open(notes_path) if l.strip() and not l.startswith("    ")]
with open(md_path, "w") as md:
    md.write(f"Measured on {meta['date']}: {meta['cpu']}, {meta['cores']} cores, Qt {meta['qt']}, {meta['cli']}, "
             f"wrk {meta['wrk']}, autocannon {meta['autocannon']} (Node.js {meta['node']}). "
             f"`make bench` (tests/bench/engines.sh): loadbench-service with one thread on 127.0.0.1, "
             f"GET /api/health; {rounds} round{'s' if rounds > 1 else ''} of {seconds} s per tool and connection count, the tools taking "
             f"turns; loadbench-cli with {threads}, wrk with `-t1`. Medians over rounds; each ratio is the median "
             f"of the per-round ratios to wrk. autocannon records latency in whole milliseconds, so its "
             f"latency ratios are n/a.\n\n")
    md.write("| " + " | ".join(header) + " |\n")
    md.write("| " + " | ".join(["---"] + ["--:"] * (len(header) - 1)) + " |\n")
    for r in rows:
        md.write("| " + " | ".join(r) + " |\n")
    md.write(f"\nMemory: {memory_text}.\n\nTargets for the native engine:\n\n")
    for t in targets:
        md.write(f"- {t}\n")
    if notes:
        md.write("\nNotes from the run:\n\n" + "".join(f"- {n}\n" for n in notes))
print(f"\nMarkdown: {md_path}")
PY
report_code=$?
set -e
(( report_code == 0 )) || { echo "engines.sh: writing the table failed" >&2; exit 1; }
if (( ! has_engine )); then
    echo "engines.sh: FAILED: the native engine was not measured ($cli has no --engine)" >&2
    exit 1
fi
if (( failures > 0 )); then
    echo "engines.sh: FAILED: $failures measurement(s) did not run (see above)" >&2
    exit 1
fi
