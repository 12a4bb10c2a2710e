#!/usr/bin/env bash
# Runs fuzz targets one after another, each for a bounded time, at the lowest CPU
# priority, on the stable toolchain (RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags;
# --sanitizer none because the sanitizer runtimes need a nightly toolchain).
#   fuzz/run.sh [SECONDS] [TARGET ...]     default: 600 seconds, every target
# A crash is kept in fuzz/artifacts/<target>/ and the run goes on (-fork=1
# -ignore_crashes=1); copy it to fuzz/regressions/<target>/ to make it a test.
# Inputs may grow to FUZZ_MAX_LEN bytes (default 1 MiB: long enough for a phrase repeated
# thousands of times, the shape that finds rules that are not linear), and the mutator
# splices in every lexicon term (fuzz/lexicon.dict, written from lexicons/ on each run).
set -uo pipefail
cd "$(dirname "$0")/.."
secs="${1:-600}"
max_len="${FUZZ_MAX_LEN:-1048576}"
# libFuzzer dictionary: one "term" per line, quotes, backslashes and bytes outside
# printable ASCII escaped as \xNN.
python3 - > fuzz/lexicon.dict <<'PY'
import pathlib
terms = set()
for f in sorted(pathlib.Path("lexicons").rglob("*.tsv")):
    for line in f.read_text(encoding="utf-8").splitlines():
        term = line.split("\t", 1)[0].strip()
        if term and not term.startswith("#"):
            terms.add(term.rstrip("*"))
for t in sorted(terms):
    b = t.encode("utf-8")
    print('"' + "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else "\\x%02x" % c for c in b) + '"')
PY
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(RUSTC_BOOTSTRAP=1 cargo fuzz list)
fi
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  echo "== $t: ${secs}s" >&2
  RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run "$t" --sanitizer none -- \
    -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 -max_len="$max_len" -dict=fuzz/lexicon.dict \
    -fork=1 -ignore_crashes=1
  echo "== $t: exit $?; crashes: $(ls "fuzz/artifacts/$t" 2>/dev/null | grep -c '^crash-\|^timeout-\|^oom-')" >&2
done
