"""radpath from Python: the same records as the command line, in order, never raising
for one bad report."""

import json
import subprocess
import threading

import pytest

import radpath
from conftest import ROOT, gold


def _without_place(rec):
    """A record without the fields that name where it was read (path vs. "python")."""
    rec = json.loads(json.dumps(rec))
    rec["provenance"].pop("source", None)
    return rec


def test_records_equal_the_command_line(radpath_bin):
    path = ROOT / "corpus" / "examples" / "archive.jsonl"
    cli = subprocess.run(
        [radpath_bin, "extract", "--quiet", str(path)], capture_output=True, check=True
    ).stdout.decode()
    cli_records = [json.loads(line) for line in cli.splitlines()]
    with open(path, encoding="utf-8") as f:
        items = [json.loads(line) for line in f if line.strip()]
    py_records = radpath.extract_many(items)
    assert len(py_records) == len(cli_records) == len(items) > 1
    for py, line in zip(py_records, cli_records):
        assert py["provenance"]["source"] == "python"
        assert _without_place(py) == _without_place(line)
    # The JSON lines are the command line's bytes, up to the source name.
    lines = radpath.Extractor().extract_many_json(items)
    for line, cli_line in zip(lines, cli.splitlines()):
        assert line.replace('"source":"python"', "") == cli_line.replace(
            '"source":' + json.dumps(str(path)), ""
        )


def test_extract_one_report():
    rec = radpath.extract(
        "CT lever: twee hypodense laesies in segment 7 en 8, passend bij metastasen, grootste 2,3 cm."
    )
    assert rec["id"] == "0"
    s = rec["summary"]
    assert s["language"] == "nl"
    assert s["liver_metastasis"] == "present"
    assert s["lesion_count"] == {"value": 2}
    assert s["largest_lesion_mm"] == 23
    assert s["segments"] == ["VII", "VIII"]
    for fact in rec["facts"]:
        text = "CT lever: twee hypodense laesies in segment 7 en 8, passend bij metastasen, grootste 2,3 cm."
        assert text.encode()[fact["start"] : fact["end"]].decode() == fact["text"]


def test_lang_forces_the_language_and_bad_lang_raises():
    text = "Lever: geen afwijkingen."
    assert radpath.extract(text, lang="en")["summary"]["language"] == "en"
    assert radpath.extract(text, lang="nl")["summary"]["language"] == "nl"
    with pytest.raises(ValueError):
        radpath.extract(text, lang="de")
    with pytest.raises(ValueError):
        radpath.extract_many([text], jobs=0)


def test_extract_many_order_ids_meta_and_error_records():
    items = [
        "Geen levermetastasen.",
        {"id": "b", "text": "CT: levermetastase segment 6 van 3 cm.", "patient": "P1", "lang": "nl"},
        {"id": "c"},
        {"id": 17, "text": "   "},
        42,
        {"text": "Liver: a 2 cm metastasis in segment 4a.", "lang": "en"},
        {"id": "g", "text": None},
        b"Lever: metastase in segment 2 (caf\xe9).",
    ]
    out = radpath.extract_many(items)
    assert [r["id"] for r in out] == ["0", "b", "c", "17", "4", "5", "g", "7"]
    assert [r.get("error", {}).get("kind") for r in out] == [
        None,
        None,
        "missing_text",
        "empty_text",
        "not_object",
        None,
        "missing_text",
        None,
    ]
    assert [r["provenance"]["line"] for r in out] == list(range(1, 9))
    assert out[0]["summary"]["liver_metastasis"] == "absent"
    assert out[1]["meta"] == {"patient": "P1"}
    assert out[1]["summary"]["segments"] == ["VI"]
    assert out[5]["summary"]["language"] == "en"
    assert out[5]["summary"]["segments"] == ["IVa"]
    assert out[7]["provenance"]["encoding"] == "windows-1252"


def test_jobs_do_not_change_the_output():
    cases = gold("radiology_nl.jsonl") + gold("pathology_en.jsonl")
    items = [{"id": c["id"], "text": c["text"]} for c in cases] + [""] * 3
    one = radpath.Extractor().extract_many_json(items, jobs=1)
    two = radpath.Extractor().extract_many_json(items, jobs=2)
    four = radpath.Extractor().extract_many_json(items, jobs=4)
    assert one == two == four
    assert len(one) == len(items)


def test_a_generator_is_an_input_and_extract_iter_streams():
    texts = (f"Levermetastase segment {n % 8 + 1}." for n in range(10))
    recs = list(radpath.extract_iter(texts, chunk_size=3))
    assert [r["id"] for r in recs] == [str(n) for n in range(10)]
    assert all(r["summary"]["liver_metastasis"] == "present" for r in recs)
    assert radpath.extract_many(iter([])) == []


def test_extract_many_releases_the_gil():
    cases = gold("radiology_nl.jsonl")
    items = [c["text"] for c in cases] * 40
    done = threading.Event()
    ticks = 0

    def work():
        radpath.extract_many(items, jobs=1)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        ticks += 1
        done.wait(0.001)
    t.join()
    # Holding the GIL through the call would leave this thread one or two turns.
    assert ticks > 10


def test_to_pandas_one_row_per_report():
    pd = pytest.importorskip("pandas")
    recs = radpath.extract_many(
        [
            {"id": "a", "text": "Twee levermetastasen, grootste 2,3 cm, segment 7 en 8."},
            {"id": "b", "text": ""},
            {"id": "c", "text": "Tumorcellen positief voor CK20 en CDX2, negatief voor CK7 en HepPar-1."},
        ]
    )
    df = radpath.to_pandas(recs)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == list(radpath.SUMMARY_COLUMNS)
    assert list(df["id"]) == ["a", "b", "c"]
    assert df.loc[0, "lesion_count"] == 2
    assert df.loc[0, "largest_lesion_mm"] == 23
    assert df.loc[0, "liver_metastasis"] == "present"
    assert df.loc[0, "m_category"] == "M1"
    assert df.loc[1, "error_kind"] == "empty_text"
    assert pd.isna(df.loc[1, "lesion_count"])
    assert df.loc[2, "ihc"] == {"CK20": "positive", "CDX2": "positive", "CK7": "negative", "HepPar-1": "negative"}


def test_qualify_in_characters_as_the_command_line(radpath_bin):
    text = "Verslag: géén aanwijzingen voor levermetastasen. Moeder: coloncarcinoom. Metastase niet uit te sluiten."
    spans = [
        (text.index("levermetastasen"), text.index("levermetastasen") + len("levermetastasen")),
        (text.index("coloncarcinoom"), text.index("coloncarcinoom") + len("coloncarcinoom")),
        (text.index("Metastase"), text.index("Metastase") + len("Metastase")),
        (10, 5),
        (0, 10_000),
    ]
    out = radpath.qualify(text, spans)
    assert [(o["presence"], o["experiencer"]) for o in out[:3]] == [
        ("absent", "patient"),
        ("present", "family"),
        ("uncertain", "patient"),
    ]
    assert [o["start"] for o in out] == [s for s, _ in spans]
    assert [o["error"]["kind"] for o in out[3:]] == ["invalid_span", "invalid_span"]
    # The same answers as `radpath qualify`.
    req = json.dumps({"id": None, "text": text, "spans": [list(s) for s in spans]})
    cli = subprocess.run(
        [radpath_bin, "qualify", "--quiet"], input=req.encode(), capture_output=True
    ).stdout
    assert json.loads(cli)["spans"] == out
    # Byte offsets on request.
    b = text.encode()
    start = b.index("levermetastasen".encode())
    byte_out = radpath.qualify(text, [{"start": start, "end": start + 15}], offsets="byte")
    assert byte_out[0]["presence"] == "absent"
    with pytest.raises(ValueError):
        radpath.qualify(text, [(0, 3)], offsets="words")


def test_char_offsets_map_evidence_to_python_indices():
    text = "Géén metastasen; één laesie in segment 7 × 2 cm."
    rec = radpath.extract(text)
    for fact in rec["facts"]:
        s, e = radpath.char_offsets(text, [fact["start"], fact["end"]])
        assert text[s:e] == fact["text"]


def test_lexicon_folder_and_schema(tmp_path):
    bad = tmp_path / "nl"
    bad.mkdir()
    (bad / "lesion.tsv").write_text("metastase\tkind=no_such_kind_at_all\n", encoding="utf-8")
    with pytest.raises(ValueError):
        radpath.Extractor(lexicons=str(tmp_path))
    assert radpath.Extractor().lexicons_version == radpath.extract("lever")["provenance"]["lexicons"]
    schema = radpath.schema()
    assert "summary" in json.dumps(schema)
