#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs every Debian 12 package Loadbench needs to build, test and run.
# Idempotent: packages already installed are left alone and nothing is fetched.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake pkg-config
    # Qt 6.4: Core, Network, Widgets, Charts, HttpServer, Svg, Test (Test ships in qt6-base-dev)
    qt6-base-dev qt6-charts-dev qt6-httpserver-dev qt6-websockets-dev qt6-svg-dev
    libqt6opengl6-dev libgl-dev libxkbcommon-dev
    # offscreen and Xvfb platforms for GUI tests and screenshots; fonts so text renders
    xvfb xauth x11-utils fonts-dejavu-core
    # llhttp C sources (the parser Node.js uses) for the native engine
    node-llhttp
    # a reference load generator for the benchmark
    wrk
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=sudo
    else
        echo "install-deps: missing packages: ${missing[*]}" >&2
        echo "install-deps: run as root: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
else
    SUDO=
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
