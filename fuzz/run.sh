#!/usr/bin/env bash
# Runs fuzz targets one after another, each for a bounded time, at the lowest CPU
# priority, on the stable toolchain (RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags;
# --sanitizer none because the sanitizer runtimes need a nightly toolchain).
#   fuzz/run.sh [SECONDS] [TARGET ...]     default: 600 seconds, every target
# A crash is kept in fuzz/artifacts/<target>/ and the run goes on (-fork=1
# -ignore_crashes=1); copy it to fuzz/regressions/<target>/ to make it a test.
set -uo pipefail
cd "$(dirname "$0")/.."
secs="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(RUSTC_BOOTSTRAP=1 cargo fuzz list)
fi
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  echo "== $t: ${secs}s" >&2
  RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run "$t" --sanitizer none -- \
    -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 -max_len=65536 \
    -fork=1 -ignore_crashes=1
  echo "== $t: exit $?; crashes: $(ls "fuzz/artifacts/$t" 2>/dev/null | grep -c '^crash-\|^timeout-\|^oom-')" >&2
done
