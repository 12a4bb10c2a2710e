#!/usr/bin/env python3
"""Checks a gold file (DESIGN.md section 8) before it is committed.

    python3 scripts/check_gold.py corpus/tcga/more_b.jsonl [--source SRC.jsonl ...]

Every line must parse as JSON with `id`, `lang`, `text`, `expect`; ids are unique; the
`expect` fields and values use the vocabulary of DESIGN.md section 3; IHC marker names are
canonical names of lexicons/common/ihc_marker.tsv (a name that is not there is reported as a
warning, since a gold case may name a marker the lexicon does not know yet). With --source,
each case whose id is found in a source JSONL file must carry exactly that file's text, and
the text must be written with the same bytes (same JSON escaping) as in the source line.
Exits 1 on any error.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SEGMENTS = ["I", "II", "III", "IV", "IVa", "IVb", "V", "VI", "VII", "VIII"]
ENUMS = {
    "language": {"nl", "en"},
    "report_type": {"radiology", "pathology", "unknown"},
    "liver_metastasis": {"present", "absent", "suspected", "not_mentioned"},
    "histology": {
        "hcc",
        "colorectal_adenocarcinoma",
        "adenocarcinoma",
        "cholangiocarcinoma",
        "neuroendocrine",
        "melanoma",
        "other",
        None,
    },
    "resection": {"R0", "R1", "R2", None},
}
IHC_VALUES = {"positive", "negative", "focal", "weak", "equivocal"}
NUMBER_FIELDS = {"largest_lesion_mm", "margin_mm", "specimen_weight_g"}
KNOWN_FIELDS = set(ENUMS) | NUMBER_FIELDS | {
    "modality",
    "lesion_count",
    "segments",
    "lobes",
    "bilobar",
    "patterns",
    "lirads_stated",
    "ihc",
    "labs",
}


def canonical_markers():
    names = set()
    for line in (ROOT / "lexicons/common/ihc_marker.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        for col in line.split("\t")[1:]:
            if col.startswith("marker="):
                names.add(col[len("marker="):].replace("_", " "))
    return names


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_expect(expect, markers, errors, warnings):
    for field, value in expect.items():
        if field not in KNOWN_FIELDS:
            errors.append(f"unknown field {field!r}")
        elif field in ENUMS:
            if value not in ENUMS[field]:
                errors.append(f"{field}: {value!r} is not in the vocabulary")
        elif field in NUMBER_FIELDS:
            if not (value is None or (is_number(value) and value >= 0)):
                errors.append(f"{field}: {value!r} is not a number")
        elif field == "lesion_count":
            ok = value is None or (
                isinstance(value, dict)
                and len(value) == 1
                and next(iter(value)) in ("value", "at_least")
                and isinstance(next(iter(value.values())), int)
                and next(iter(value.values())) >= 0
            )
            if not ok:
                errors.append(f"lesion_count: {value!r} is not {{value|at_least: n}}")
        elif field == "segments":
            if not isinstance(value, list) or any(s not in SEGMENTS for s in value):
                errors.append(f"segments: {value!r} holds a non-Couinaud name")
            elif len(set(value)) != len(value):
                errors.append(f"segments: {value!r} repeats a segment")
        elif field == "ihc":
            if not isinstance(value, dict):
                errors.append(f"ihc: {value!r} is not a map")
                continue
            for marker, result in value.items():
                if marker == "Ki-67":
                    if not is_number(result):
                        errors.append(f"ihc: Ki-67 {result!r} is not a percentage")
                elif result not in IHC_VALUES:
                    errors.append(f"ihc: {marker} {result!r} is not a result value")
                if marker not in markers:
                    warnings.append(f"ihc: {marker!r} is not a canonical name in ihc_marker.tsv")


def main(argv):
    args = argv[1:]
    sources = []
    while "--source" in args:
        i = args.index("--source")
        sources.append(args[i + 1])
        del args[i : i + 2]
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    source_lines = {}
    for src in sources:
        for raw in Path(src).read_text(encoding="utf-8").splitlines():
            if raw.strip():
                source_lines[json.loads(raw)["id"]] = raw
    markers = canonical_markers()
    n_err = 0
    ids = set()
    lines = Path(args[0]).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, raw in enumerate(lines, 1):
        errors, warnings = [], []
        try:
            case = json.loads(raw)
        except json.JSONDecodeError as e:
            print(f"line {n}: not JSON: {e}")
            n_err += 1
            continue
        for key in ("id", "lang", "text", "expect"):
            if key not in case:
                errors.append(f"missing {key!r}")
        cid = case.get("id", f"line {n}")
        if cid in ids:
            errors.append("duplicate id")
        ids.add(cid)
        if case.get("lang") not in ("nl", "en", None):
            errors.append(f"lang {case.get('lang')!r}")
        check_expect(case.get("expect", {}), markers, errors, warnings)
        if cid in source_lines:
            src = json.loads(source_lines[cid])
            if src["text"] != case.get("text"):
                errors.append("text differs from the source")
            elif json.dumps(src["text"], ensure_ascii=False) not in raw or (
                json.dumps(src["text"], ensure_ascii=False) not in source_lines[cid]
            ):
                errors.append("text is escaped differently from the source line")
        elif sources:
            errors.append("id not found in the source files")
        for w in warnings:
            print(f"{cid}: warning: {w}")
        for e in errors:
            print(f"{cid}: {e}")
        n_err += len(errors)
    print(f"{len(lines)} cases, {n_err} errors")
    return 1 if n_err else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
