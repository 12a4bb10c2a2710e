#!/usr/bin/env python3
"""Checks gold-case files (DESIGN.md section 8) before they are committed.

    python3 scripts/check_gold.py corpus/tcga/more_a.jsonl [--source SOURCE.jsonl]

Each line must be one JSON object with `id`, `lang`, `text` and `expect`; ids are
unique; every `expect` field is a summary field of DESIGN.md section 3 and its value
uses that field's vocabulary. IHC markers must be canonical names of
lexicons/common/ihc_marker.tsv; other names are reported as warnings (a marker the
lexicon does not know yet). With --source, each case's text must equal the text of
the line with the same id in the source file exactly.

Exit status 1 when an error was found; warnings alone do not fail.
"""

import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SEGMENTS = {"I", "II", "III", "IV", "IVa", "IVb", "V", "VI", "VII", "VIII"}
ENUMS = {
    "language": {"nl", "en"},
    "report_type": {"radiology", "pathology", "unknown"},
    "liver_metastasis": {"present", "absent", "suspected", "not_mentioned"},
    "histology": {"hcc", "colorectal_adenocarcinoma", "adenocarcinoma", "cholangiocarcinoma",
                  "neuroendocrine", "melanoma", "other", None},
    "resection": {"R0", "R1", "R2", None},
    "lirads_stated": {"LR-1", "LR-2", "LR-3", "LR-4", "LR-5", "LR-M", "LR-TIV", None},
}
LISTS = {
    "modality": {"CT", "MRI", "US", "PET", "XR"},
    "segments": SEGMENTS,
    "lobes": {"left", "right", "caudate"},
    "patterns": {"rim_enhancement", "arterial_hyperenhancement", "washout", "capsule",
                 "hypoattenuating", "hyperattenuating", "hypovascular", "hypervascular",
                 "hypoechoic", "hyperechoic", "target_sign", "t1_hypointense", "t2_hyperintense",
                 "diffusion_restriction", "hbp_hypointense", "fdg_avid", "no_enhancement",
                 "peripheral_nodular_enhancement", "central_necrosis"},
}
NUMBERS = {"largest_lesion_mm", "margin_mm", "specimen_weight_g"}
LABS = {"cea_ng_ml", "bilirubin_umol_l", "alp_u_l", "ggt_u_l", "ldh_u_l", "afp_ug_l"}
IHC_RESULTS = {"positive", "negative", "focal", "weak", "equivocal"}


def canonical_markers():
    names = set()
    path = os.path.join(ROOT, "lexicons", "common", "ihc_marker.tsv")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            for attr in line.rstrip("\n").split("\t")[1:]:
                if attr.startswith("marker="):
                    names.add(attr[len("marker="):].replace("_", " "))
    return names


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_value(field, v, markers, warn):
    """Returns an error message, or None."""
    if field in ENUMS:
        return None if v in ENUMS[field] else f"{v!r} is not in the vocabulary"
    if field in LISTS:
        if not isinstance(v, list):
            return "not a list"
        bad = [x for x in v if x not in LISTS[field]]
        if bad:
            return f"unknown values {bad}"
        if len(set(v)) != len(v):
            return "duplicate values"
        return None
    if field in NUMBERS:
        return None if v is None or (is_number(v) and v >= 0) else f"{v!r} is not a number >= 0"
    if field == "lesion_count":
        if v is None:
            return None
        if not isinstance(v, dict) or len(v) != 1 or next(iter(v)) not in ("value", "at_least"):
            return f"{v!r} is not {{\"value\": n}} or {{\"at_least\": n}}"
        n = next(iter(v.values()))
        return None if isinstance(n, int) and n >= 0 else f"count {n!r} is not an integer"
    if field == "bilobar":
        return None if isinstance(v, bool) or v is None else "not a boolean"
    if field == "ihc":
        if not isinstance(v, dict):
            return "not a map"
        for marker, result in v.items():
            if marker == "Ki-67":
                if not is_number(result):
                    return "Ki-67 must be a number (percent)"
            elif result not in IHC_RESULTS:
                return f"{marker}: {result!r} is not a result"
            if marker not in markers:
                warn(f"ihc marker {marker!r} is not a canonical name of the lexicon")
        return None
    if field == "labs":
        if not isinstance(v, dict):
            return "not a map"
        bad = [k for k, x in v.items() if k not in LABS or not is_number(x)]
        return f"bad lab entries {bad}" if bad else None
    return "not a summary field"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="+")
    ap.add_argument("--source", help="JSONL file the texts were copied from (matched by id)")
    args = ap.parse_args()
    markers = canonical_markers()
    source = {}
    if args.source:
        with open(args.source, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                source[d["id"]] = d["text"]
    errors = 0
    for path in args.gold:
        seen = set()
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                where = f"{path}:{n}"

                def err(msg):
                    nonlocal errors
                    errors += 1
                    print(f"error {where}: {msg}")

                def warn(msg):
                    print(f"warning {where}: {msg}")

                try:
                    case = json.loads(line)
                except json.JSONDecodeError as e:
                    err(f"not JSON ({e})")
                    continue
                if not isinstance(case, dict):
                    err("not an object")
                    continue
                for key in ("id", "lang", "text", "expect"):
                    if key not in case:
                        err(f"missing {key!r}")
                if not isinstance(case.get("expect"), dict):
                    continue
                cid = case.get("id")
                if cid in seen:
                    err(f"duplicate id {cid!r}")
                seen.add(cid)
                if case.get("lang") not in ("nl", "en"):
                    err(f"lang {case.get('lang')!r}")
                if args.source:
                    if cid not in source:
                        err(f"id {cid!r} not in the source file")
                    elif source[cid] != case.get("text"):
                        err("text differs from the source text")
                for field, v in case["expect"].items():
                    msg = check_value(field, v, markers, warn)
                    if msg:
                        err(f"{field}: {msg}")
    print(f"{'FAILED' if errors else 'ok'}: {errors} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
