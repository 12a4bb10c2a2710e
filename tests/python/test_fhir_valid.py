"""Every FHIR Bundle radpath writes for the corpus is valid against the FHIR R4 models.

Runs the release binary (RADPATH_BIN, default target/release/radpath) with
`--format fhir` over every gold file in corpus/ and parses each Bundle, and each resource in
it, with fhir.resources (FHIR 4.0.1). Also checks the mCODE TumorSize shape on reports with
sizes, that absent findings are never written as present, and that error records become an
OperationOutcome.
"""

import json
import os
import pathlib
import subprocess

import pytest
import fhir.resources
from fhir.resources import construct_fhir_element
from fhir.resources.bundle import Bundle

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("RADPATH_BIN", str(ROOT / "target" / "release" / "radpath"))
GOLD = sorted(
    p for p in list((ROOT / "corpus").glob("*.jsonl")) + list((ROOT / "corpus" / "tcga").glob("*.jsonl"))
    if not p.name.startswith("qualify_")
)
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def run_fhir(path):
    out = subprocess.run(
        [BIN, "extract", "--format", "fhir", "-q", str(path)],
        capture_output=True,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr.decode()
    return [json.loads(line) for line in out.stdout.decode().splitlines()]


def codes(concept):
    return {(c.get("system"), c.get("code")) for c in concept.get("coding", [])}


def test_models_are_r4():
    assert fhir.resources.__fhir_version__ == "4.0.1"


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name)
def test_every_bundle_is_valid_r4(path):
    inputs = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    bundles = run_fhir(path)
    assert len(bundles) == inputs, "one bundle per input report"
    for raw in bundles:
        Bundle.parse_obj(raw)
        assert raw["type"] == "collection"
        urls = {e["fullUrl"] for e in raw["entry"]}
        for entry in raw["entry"]:
            res = entry["resource"]
            construct_fhir_element(res["resourceType"], res)
            for ref in res.get("result", []) + res.get("derivedFrom", []) + res.get("hasMember", []):
                assert ref["reference"] in urls, "every reference resolves inside the bundle"


def test_tumor_size_follows_mcode_and_absent_is_not_present():
    gold = ROOT / "corpus" / "radiology_nl.jsonl"
    sizes = absent = 0
    for raw in run_fhir(gold):
        for entry in raw["entry"]:
            res = entry["resource"]
            if res["resourceType"] != "Observation":
                continue
            if (LOINC, "21889-1") in codes(res["code"]):
                sizes += 1
                comps = res["component"]
                longest = [c for c in comps if (LOINC, "33728-7") in codes(c["code"])]
                assert len(longest) == 1
                q = longest[0]["valueQuantity"]
                assert (q["system"], q["code"], q["unit"]) == (UCUM, "mm", "mm")
                for c in comps:
                    assert codes(c["code"]) & {(LOINC, "33728-7"), (LOINC, "33729-5")}
            if any(code == "liver-lesion" for _, code in codes(res["code"])):
                presence = res["valueCodeableConcept"]["coding"][0]["code"]
                assert presence in ("present", "absent", "uncertain")
                if presence == "absent":
                    absent += 1
    assert sizes > 50 and absent > 5


def test_errors_become_operation_outcomes():
    bundles = run_fhir(ROOT / "corpus" / "examples" / "with-errors.jsonl")
    outcomes = [b for b in bundles if b["entry"][0]["resource"]["resourceType"] == "OperationOutcome"]
    assert outcomes, "the example archive has error records"
    for b in outcomes:
        Bundle.parse_obj(b)
        issue = b["entry"][0]["resource"]["issue"][0]
        assert issue["severity"] == "error" and issue["diagnostics"]


def test_evidence_offsets_are_characters_into_the_text():
    text = "CT lever: één hypodense laesie in segment 7 van 2,3 cm, verdacht voor metastase."
    out = subprocess.run(
        [BIN, "extract", "--format", "fhir", "-q", "--input", "jsonl"],
        input=(json.dumps({"id": "x", "text": text}) + "\n").encode(),
        capture_output=True,
        check=True,
    )
    bundle = json.loads(out.stdout)
    spans = []
    for entry in bundle["entry"]:
        for ext in entry["resource"].get("extension", []):
            if ext["url"].endswith(":evidence"):
                parts = {e["url"]: list(e.values())[1] for e in ext["extension"]}
                assert parts["offsets"] == "char"
                spans.append(text[parts["start"]:parts["end"]])
    assert "2,3 cm" in spans
