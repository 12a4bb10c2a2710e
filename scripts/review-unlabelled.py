#!/usr/bin/env python3
"""What radpath reads from unlabelled pathology reports: a coverage review.

    scripts/review-unlabelled.py [--radpath BIN] [--list] FILE.jsonl[:FROM-TO] ...

Each FILE is a JSON Lines archive of reports ({"id", "text", ...}); `:FROM-TO` keeps only
those lines (1-based, inclusive). The script runs `radpath extract` on the reports and
prints, per file and in total:

- how many reports name HepPar-1 (any common spelling or OCR misreading, found by the
  patterns below, independently of radpath's lexicons), and how many of those get an
  `ihc` result for HepPar-1;
- how many name any IHC marker, and how many of those get any `ihc` result;
- how many give a largest size, a lesion count, a margin distance, a resection status.

No value here is checked against a label: a report counted as "gets a result" may still get
the wrong one. The counts show where radpath stays silent. `--list` also prints the ids of
the reports that name a marker but get no `ihc` result.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile

# HepPar-1 as reports write it, OCR misreadings included ("HepParl", "Hep Par 1", "Hepar",
# "hepatocyte specific antigen", "HSA", "Hepatocyte (OCH1E5)").
HEPPAR = re.compile(
    r"hep\W{0,2}par|\bhsa\b|hepatocyte[\s-]*(?:specific|paraffin|antigen|\(|stain|immuno)",
    re.I,
)
# Other markers: names and their common spellings.
MARKERS = re.compile(
    r"\b(?:ck|cytokeratin|keratin)\W{0,2}(?:7|19|20|8|5/6)\b|\bcdx\W?2\b|\bsatb\W?2\b"
    r"|glypican|\bgpc\W?3\b|arginase|\barg\W?1\b|\bcd\W?(?:10|34|56|117|31|45)\b"
    r"|synaptophysin|chromogranin|\bttf\W?1\b|napsin|\bgata\W?3\b|\bpax\W?8\b"
    r"|\bmoc\W?31\b|\bki\W?67\b|\bmib\W?1\b|ae1/ae3|pan\W?(?:ck|keratin|cytokeratin)"
    r"|\bcam\s?5\.2\b|\bs\W?100\b|\bsox\W?10\b|\bp53\b|\bp63\b|\bwt\W?1\b|vimentin"
    r"|beta\W?catenin|glutamine synthetase|\bhsp\W?70\b|\bcea\b|\bca\W?19\W?9\b"
    r"|\bmelan\W?a\b|\bhmb\W?45\b|\bdesmin\b|calretinin|\bcd\W?20\b",
    re.I,
)


def read_reports(spec):
    """The reports of FILE[:FROM-TO], as (id, text) pairs."""
    path, lo, hi = spec, 1, None
    m = re.match(r"^(.*):(\d+)-(\d+)$", spec)
    if m:
        path, lo, hi = m.group(1), int(m.group(2)), int(m.group(3))
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if n < lo or (hi is not None and n > hi) or not line.strip():
                continue
            r = json.loads(line)
            out.append((str(r.get("id", f"{path}:{n}")), r.get("text", "")))
    return out


def extract(radpath, reports):
    """radpath's summaries of the reports, in order."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as tmp:
        for i, (rid, text) in enumerate(reports):
            tmp.write(json.dumps({"id": f"{i}", "text": text}) + "\n")
        tmp.flush()
        run = subprocess.run(
            [radpath, "extract", "--quiet", "--lang", "en", tmp.name],
            capture_output=True,
            text=True,
            check=False,
        )
    if run.returncode not in (0, 1):
        sys.exit(f"radpath failed: {run.stderr.strip()}")
    out = [None] * len(reports)
    for line in run.stdout.splitlines():
        r = json.loads(line)
        out[int(r["id"])] = r.get("summary")
    return out


def review(reports, summaries):
    c = dict.fromkeys(
        ["reports", "heppar", "heppar_ihc", "marker", "marker_ihc", "size", "count",
         "margin", "resection"],
        0,
    )
    silent = []
    for (rid, text), s in zip(reports, summaries):
        c["reports"] += 1
        s = s or {}
        ihc = s.get("ihc") or {}
        names_heppar = bool(HEPPAR.search(text))
        if names_heppar:
            c["heppar"] += 1
            c["heppar_ihc"] += "HepPar-1" in ihc
        if names_heppar or MARKERS.search(text):
            c["marker"] += 1
            if ihc:
                c["marker_ihc"] += 1
            else:
                silent.append(rid)
        c["size"] += s.get("largest_lesion_mm") is not None
        c["count"] += s.get("lesion_count") is not None
        c["margin"] += s.get("margin_mm") is not None
        c["resection"] += s.get("resection") is not None
    return c, silent


def show(name, c):
    print(
        f"{name:<28} {c['reports']:>7} {c['heppar']:>7} {c['heppar_ihc']:>9} "
        f"{c['marker']:>7} {c['marker_ihc']:>9} {c['size']:>6} {c['count']:>6} "
        f"{c['margin']:>7} {c['resection']:>9}"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", help="FILE.jsonl or FILE.jsonl:FROM-TO")
    ap.add_argument("--radpath", default="target/release/radpath", help="the radpath binary")
    ap.add_argument("--list", action="store_true", help="ids of marker reports without ihc")
    args = ap.parse_args()
    print(
        f"{'file':<28} {'reports':>7} {'HepPar':>7} {'+result':>9} {'marker':>7} "
        f"{'+result':>9} {'size':>6} {'count':>6} {'margin':>7} {'resection':>9}"
    )
    total = None
    for spec in args.files:
        reports = read_reports(spec)
        c, silent = review(reports, extract(args.radpath, reports))
        show(spec.rsplit("/", 1)[-1], c)
        if args.list and silent:
            print("  marker named, no ihc result: " + " ".join(silent))
        total = c if total is None else {k: total[k] + v for k, v in c.items()}
    if total is not None and len(args.files) > 1:
        show("total", total)


if __name__ == "__main__":
    main()
