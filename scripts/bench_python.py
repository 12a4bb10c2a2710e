#!/usr/bin/env python3
"""Throughput of radpath from Python beside the command line, in one session.

    python3 scripts/gen_corpus.py -n 20000 --seed 42 --out /tmp/corpus.jsonl
    python scripts/bench_python.py /tmp/corpus.jsonl --runs 3

Runs, alternating so that a noisy machine hits every variant alike:
- `radpath extract --jobs 1` and `--jobs 2` on the file (output to /dev/null);
- `radpath.extract_many(dicts, jobs=1)` and `jobs=2` (records as Python dicts);
- `Extractor.extract_many_json(dicts, jobs=2)` (records as JSON lines, no dicts).
The Python figures time the call only (the file is read and parsed once, before). Prints
the median seconds, reports/s and MB/s of report text (UTF-8) of each, as a Markdown table.
Needs the package installed and the binary ($RADPATH_BIN or target/release/radpath).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import radpath

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the repository


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    binary = os.environ.get("RADPATH_BIN", os.path.join(ROOT, "target", "release", "radpath"))
    with open(args.corpus, encoding="utf-8") as f:
        items = [json.loads(line) for line in f if line.strip()]
    n = len(items)
    mb = sum(len(i["text"].encode("utf-8")) for i in items if isinstance(i.get("text"), str)) / 1e6
    ex = radpath.Extractor()

    def cli(jobs):
        with open(os.devnull, "wb") as null:
            subprocess.run(
                [binary, "extract", "--quiet", "--jobs", str(jobs), args.corpus],
                stdout=null,
                check=False,
            )

    variants = {
        "`radpath extract --jobs 1`": lambda: cli(1),
        "`radpath extract --jobs 2`": lambda: cli(2),
        "`radpath.extract_many(jobs=1)` (dicts)": lambda: ex.extract_many(items, jobs=1),
        "`radpath.extract_many(jobs=2)` (dicts)": lambda: ex.extract_many(items, jobs=2),
        "`Extractor.extract_many_json(jobs=2)` (JSON lines)": lambda: ex.extract_many_json(items, jobs=2),
    }
    times = {k: [] for k in variants}
    for _ in range(args.runs):
        for name, run in variants.items():
            t0 = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - t0)
    print(f"{n} reports, {mb:.1f} MB of text, {args.runs} runs each, median (range)\n")
    print("| run | seconds | reports/s | MB/s |")
    print("|---|---|---|---|")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(
            f"| {name} | {med:.2f} ({min(ts):.2f}-{max(ts):.2f}) | {n / med:,.0f} | {mb / med:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
