#!/usr/bin/env python3
"""Scores `radpath qualify` on clinlp's published Dutch qualifier cases.

The cases are an external benchmark: they are read from clinlp's source distribution
(`data/qualifier_cases.json` in `pip download --no-deps --no-binary :all: clinlp==0.10.*`)
and never copied into this repository.

    scripts/clinlp_qualifier_bench.py convert CASES.json > requests.jsonl
    radpath qualify -q requests.jsonl > answers.jsonl
    scripts/clinlp_qualifier_bench.py score requests.jsonl answers.jsonl [--misses]

`convert` writes one qualify request per annotation (character offsets, "lang": "nl") with
the expected qualifiers under "expect"; `score` prints the share of spans with all three
qualifiers right and the share per qualifier.
"""

import json
import sys

QUALIFIERS = ("presence", "temporality", "experiencer")


def convert(path):
    with open(path, encoding="utf-8") as f:
        docs = json.load(f)["docs"]
    for doc in docs:
        text = doc["text"]
        for i, ann in enumerate(doc["annotations"]):
            start = text.find(ann["text"])
            if start < 0:
                raise SystemExit(f"case {doc['identifier']}: {ann['text']!r} not in text")
            expect = {q["name"].lower(): q["value"].lower() for q in ann["qualifiers"]}
            expect = {q: expect.get(q, default) for q, default in
                      zip(QUALIFIERS, ("present", "current", "patient"))}
            print(json.dumps({
                "id": f"clinlp-{doc['identifier']}-{i}",
                "text": text,
                "spans": [[start, start + len(ann["text"])]],
                "lang": "nl",
                "expect": expect,
            }, ensure_ascii=False))


def score(requests_path, answers_path, show_misses):
    with open(requests_path, encoding="utf-8") as f:
        requests = [json.loads(line) for line in f if line.strip()]
    with open(answers_path, encoding="utf-8") as f:
        answers = [json.loads(line) for line in f if line.strip()]
    if len(requests) != len(answers):
        raise SystemExit("one answer line per request line expected")
    right = {q: 0 for q in QUALIFIERS}
    all_right = 0
    for req, ans in zip(requests, answers):
        got = ans["spans"][0]
        ok = [got.get(q) == req["expect"][q] for q in QUALIFIERS]
        for q, good in zip(QUALIFIERS, ok):
            right[q] += good
        all_right += all(ok)
        if show_misses and not all(ok):
            want = "/".join(req["expect"][q] for q in QUALIFIERS)
            have = "/".join(str(got.get(q)) for q in QUALIFIERS)
            print(f"{req['id']}: want {want} got {have} rules {got.get('rules')}\n    {req['text']}")
    n = len(requests)
    print(f"all three right: {all_right}/{n}")
    for q in QUALIFIERS:
        print(f"{q}: {right[q]}/{n}")


def main(argv):
    if len(argv) >= 2 and argv[0] == "convert":
        convert(argv[1])
    elif len(argv) >= 3 and argv[0] == "score":
        score(argv[1], argv[2], "--misses" in argv[3:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
