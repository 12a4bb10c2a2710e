"""The spaCy component on a blank pipeline (no model needed)."""

import pytest

spacy = pytest.importorskip("spacy")

import radpath  # noqa: E402
import radpath.spacy  # noqa: E402,F401  (registers the factory even without entry points)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("nl")
    nlp.add_pipe("radpath")
    return nlp


def test_record_and_lesion_entities_with_qualifiers(nlp):
    text = "Geen aanwijzingen voor levermetastasen. Bij de vorige CT een hemangioom in segment 2."
    doc = nlp(text)
    assert doc._.radpath == radpath.extract({"id": "doc", "text": text}, lang="nl")
    ents = {(e.text, e.label_): e for e in doc.ents}
    meta = ents[("levermetastasen", "LESION")]
    assert meta._.presence == "Absent"
    assert meta._.is_negated
    assert meta._.temporality == "Current"
    assert meta._.experiencer == "Patient"
    assert "Presence.Absent" in meta._.qualifiers_str
    assert meta._.radpath["kind"] == "metastasis"
    assert list(doc.spans["radpath"]) == sorted(doc.spans["radpath"], key=lambda s: s.start_char)


def test_markers_are_the_marker_words_with_their_result(nlp):
    doc = nlp("De tumorcellen zijn positief voor CK20, CDX2 en SATB2, negatief voor CK7 en HepPar-1.")
    markers = {e.text: e._.radpath["result"] for e in doc.ents if e.label_ == "MARKER"}
    assert markers == {
        "CK20": "positive",
        "CDX2": "positive",
        "SATB2": "positive",
        "CK7": "negative",
        "HepPar-1": "negative",
    }


def test_existing_entities_are_kept_and_family_history():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": "Radiology"}])
    nlp.add_pipe("radpath")
    doc = nlp("Radiology report. Mother had liver metastases. No focal liver lesions in the patient.")
    labels = [(e.text, e.label_) for e in doc.ents]
    assert ("Radiology", "ORG") in labels
    by_text = {e.text: e for e in doc.spans["radpath"]}
    mother = [s for t, s in by_text.items() if "metastas" in t]
    assert mother and mother[0]._.experiencer == "Family" and mother[0]._.is_family


def test_empty_and_non_ascii_text(nlp):
    doc = nlp("")
    assert doc._.radpath["error"]["kind"] == "empty_text"
    doc = nlp("Één levermetastase in segment 7 (2,1 × 1,8 cm).")
    assert [e.text for e in doc.ents if e.label_ == "LESION"] == ["levermetastase"]
