# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the benchmarks: starts loadbench-service on a free loopback port and waits for it.
#   start_service SERVICE WORK_DIR [SERVICE ARGS...]
# Sets service_pid and port (the caller's cleanup kills service_pid); exits 1, with the
# service's own output, when it does not report its port within 10 s.
start_service() {
    local binary=$1 dir=$2
    shift 2
    "$binary" --host 127.0.0.1 --port 0 "$@" >"$dir/service.out" 2>"$dir/service.err" &
    service_pid=$!
    port=""
    for _ in $(seq 100); do
        port=$(sed -n 's|.*listening on http://[^ ]*:\([0-9][0-9]*\).*|\1|p' "$dir/service.out" | head -1)
        [[ -n "$port" ]] && return 0
        sleep 0.1
    done
    echo "$(basename "$0"): loadbench-service did not report its port:" >&2
    cat "$dir/service.out" "$dir/service.err" >&2
    exit 1
}
