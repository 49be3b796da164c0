# SPDX-License-Identifier: GPL-3.0-or-later
# The README's two commands. Each installs what is missing, configures and builds first.
#   make run   - open the workbench on the bundled service (headless: a smoke run through the CLI)
#   make test  - the whole ctest suite (unit, service, integration, gui)
#   make bench - the benchmarks (ctest -L bench; LOADBENCH_BENCH_SECONDS shortens them)

BUILD_DIR ?= build/release
# Keep the one-line messages readable: no "Entering directory" from the generated Makefiles.
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps configure build run test bench asan clean

all: build

deps:
	@bash packaging/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release --log-level=WARNING

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@bash scripts/run-workbench.sh $(BUILD_DIR)

test: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure --label-exclude bench --timeout 300

bench: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure --label-regex bench --verbose

asan: deps
	@cmake --preset asan && cmake --build --preset asan -j $(JOBS) && ctest --preset asan

clean:
	@rm -rf build
