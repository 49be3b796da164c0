#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `make run`: the workbench with the bundled service launched and the "average load" preset
# loaded; without a display, the smoke preset headless through loadbench-cli instead.
set -euo pipefail
build=${1:-build/release}

if { [ -n "${DISPLAY:-}" ] && xdpyinfo >/dev/null 2>&1; } || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec "$build/app/loadbench" --launch-service --preset average-load
fi

echo "make run: no display available; running the smoke preset headless through loadbench-cli instead."
service_log=$(mktemp)
"$build/service/loadbench-service" --port 0 > "$service_log" 2>&1 &
service_pid=$!
trap 'kill "$service_pid" 2>/dev/null || true; rm -f "$service_log"' EXIT
for _ in $(seq 100); do
    grep -q 'listening on' "$service_log" && break
    kill -0 "$service_pid" 2>/dev/null || { cat "$service_log" >&2; exit 1; }
    sleep 0.1
done
url=$(sed -n 's|.*listening on \(http://[^ ]*\).*|\1/api/health|p' "$service_log")
[ -n "$url" ] || { echo "make run: the service did not start:" >&2; cat "$service_log" >&2; exit 1; }
"$build/app/cli/loadbench-cli" run resources/presets/smoke.json --url "$url"
