#!/usr/bin/env bash
# Whole-binary throughput of `radpath extract` on a JSON Lines archive: MB/s of report text
# and reports/s at --jobs 1 and --jobs 2 (median of RUNS runs each), peak RSS, and the
# start-up time of one short report through stdin (median of 21 runs).
#
#   scripts/bench-throughput.sh [CORPUS.jsonl] [RUNS]
#
# CORPUS defaults to /tmp/corpus.jsonl, made with the common generator:
#   python3 scripts/gen_corpus.py -n 200000 --out /tmp/corpus.jsonl
# The 1 GB figure in the README is this script run on five copies of that file:
#   for i in 1 2 3 4 5; do cat /tmp/corpus.jsonl; done > /tmp/corpus-1g.jsonl
#   scripts/bench-throughput.sh /tmp/corpus-1g.jsonl 1
# Environment: RADPATH (binary, default target/release/radpath, built when missing),
# JOBS (default "1 2"), OUT (default /dev/null).
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${1:-/tmp/corpus.jsonl}
runs=${2:-3}
bin=${RADPATH:-target/release/radpath}
jobs_list=${JOBS:-1 2}
out=${OUT:-/dev/null}

if [[ ! -f $corpus ]]; then
  echo "no corpus at $corpus; make one with gen_corpus.py (see the header of this script)" >&2
  exit 2
fi
if [[ ! -x $bin ]]; then
  cargo build --release --quiet
fi
if [[ ! -x /usr/bin/time ]]; then
  echo "/usr/bin/time is missing: apt-get install -y time" >&2
  exit 2
fi

# Reports and bytes of report text (the "text" field, UTF-8), counted once.
read -r reports text_bytes < <(python3 - "$corpus" <<'PY'
import json, sys
n = b = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        n += 1
        b += len(json.loads(line)["text"].encode("utf-8"))
print(n, b)
PY
)
file_bytes=$(stat -c %s "$corpus")

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
echo "binary:  $bin ($("$bin" --version 2>/dev/null || echo radpath))"
echo "corpus:  $corpus: $reports reports, $(awk -v b="$text_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB of text, $(awk -v b="$file_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB on disk"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

printf '%-6s %10s %10s %12s %10s %14s\n' jobs seconds 'MB/s' 'reports/s' 'RSS MiB' 'runs (s)'
declare -A mbs
for jobs in $jobs_list; do
  secs=() rss=()
  for _ in $(seq "$runs"); do
    stats=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$stats" "$bin" extract --input jsonl --jobs "$jobs" --quiet "$corpus" > "$out"
    read -r s m < "$stats"
    rm -f "$stats"
    secs+=("$s") rss+=("$m")
  done
  med=$(printf '%s\n' "${secs[@]}" | median)
  peak=$(printf '%s\n' "${rss[@]}" | sort -g | tail -1)
  mbs[$jobs]=$(awk -v b="$text_bytes" -v s="$med" 'BEGIN { printf "%.1f", b / 1e6 / s }')
  printf '%-6s %10s %10s %12s %10s %14s\n' "$jobs" "$med" "${mbs[$jobs]}" \
    "$(awk -v n="$reports" -v s="$med" 'BEGIN { printf "%.0f", n / s }')" \
    "$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')" "$(IFS=,; echo "${secs[*]}")"
done
if [[ -n ${mbs[1]:-} && -n ${mbs[2]:-} ]]; then
  echo "scaling 2 jobs / 1 job: $(awk -v a="${mbs[2]}" -v b="${mbs[1]}" 'BEGIN { printf "%.2fx", a / b }')"
fi

# Start-up: one short Dutch report through stdin, process start to exit.
short='CT abdomen met contrast. In segment 7 een hypodense laesie van 2,3 x 1,8 cm, verdacht voor metastase.'
times=()
for _ in $(seq 21); do
  t0=$(date +%s%N)
  printf '%s\n' "$short" | "$bin" extract --quiet - > /dev/null
  t1=$(date +%s%N)
  times+=("$(( (t1 - t0) / 1000 ))")
done
echo "start-up, one short report from stdin: $(printf '%s\n' "${times[@]}" | median | awk '{ printf "%.1f", $1 / 1000 }') ms (median of 21)"
