"""A spaCy component that runs radpath on each ``Doc``.

    >>> import spacy
    >>> nlp = spacy.blank("nl")
    >>> nlp.add_pipe("radpath")            # doctest: +SKIP
    >>> doc = nlp("Geen aanwijzingen voor levermetastasen.")
    >>> [(e.text, e.label_, e._.presence) for e in doc.ents]
    [('levermetastasen', 'LESION', 'Absent')]

It sets

- ``doc._.radpath``: the whole record (as :func:`radpath.extract` returns it);
- entities: ``LESION`` for every lesion mention radpath read and ``MARKER`` for every
  immunohistochemistry marker with a result, in the span group ``doc.spans["radpath"]``
  and, where they do not overlap an entity already there, in ``doc.ents``;
- on each of those spans, clinlp-style qualifiers ``span._.presence`` (``Present`` /
  ``Absent`` / ``Uncertain``), ``span._.temporality`` (``Current`` / ``Historical`` /
  ``Future``) and ``span._.experiencer`` (``Patient`` / ``Family`` / ``Other``);
  ``span._.qualifiers_str`` as a set such as ``{"Presence.Absent", ...}``; medspaCy-style
  flags ``is_negated``, ``is_uncertain``, ``is_historical``, ``is_hypothetical`` and
  ``is_family``; and ``span._.radpath``, the radpath facts behind the span (for a lesion:
  its ``kind`` and, when it belongs to one, the ``lesion`` of the record; for a marker:
  ``marker`` and ``result``).

A lesion mention takes the assertion of the lesion it belongs to (the record's
judgement, made from every mention); any other span is qualified by radpath's assertion
engine on that span (:func:`radpath.qualify`). Extensions that another component
(medspaCy, clinlp) has already registered are reused, not replaced.

The component needs no model: it reads ``doc.text``, so it works on ``spacy.blank("nl")``
as well as in a full pipeline. Install with ``pip install 'radpath[spacy]'``.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from radpath import Extractor, char_offsets

__all__ = ["RadpathComponent", "make_radpath"]

_SPAN_EXTENSIONS = {
    "radpath": None,
    "presence": None,
    "temporality": None,
    "experiencer": None,
    "qualifiers_str": None,
    "is_negated": False,
    "is_uncertain": False,
    "is_historical": False,
    "is_hypothetical": False,
    "is_family": False,
}

_NAMES = {
    "presence": {"present": "Present", "absent": "Absent", "uncertain": "Uncertain"},
    "temporality": {"current": "Current", "historical": "Historical", "future": "Future"},
    "experiencer": {"patient": "Patient", "family": "Family", "other": "Other"},
}


def _register_extensions() -> None:
    if not Doc.has_extension("radpath"):
        Doc.set_extension("radpath", default=None)
    for name, default in _SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


def _set(span: Span, name: str, value: Any) -> None:
    """Sets an extension unless another component registered it read-only."""
    try:
        setattr(span._, name, value)
    except (AttributeError, ValueError, TypeError):
        pass


def _qualify_span(span: Span, assertion: Dict[str, str], facts: Dict[str, Any]) -> None:
    presence = _NAMES["presence"].get(assertion.get("presence", ""), None)
    temporality = _NAMES["temporality"].get(assertion.get("temporality", ""), None)
    experiencer = _NAMES["experiencer"].get(assertion.get("experiencer", ""), None)
    _set(span, "radpath", facts)
    _set(span, "presence", presence)
    _set(span, "temporality", temporality)
    _set(span, "experiencer", experiencer)
    _set(
        span,
        "qualifiers_str",
        {
            f"{kind}.{value}"
            for kind, value in (
                ("Presence", presence),
                ("Temporality", temporality),
                ("Experiencer", experiencer),
            )
            if value is not None
        },
    )
    _set(span, "is_negated", presence == "Absent")
    _set(span, "is_uncertain", presence == "Uncertain")
    _set(span, "is_historical", temporality == "Historical")
    _set(span, "is_hypothetical", temporality == "Future")
    _set(span, "is_family", experiencer == "Family")


class RadpathComponent:
    """The ``radpath`` pipeline component (see the module docstring)."""

    def __init__(
        self,
        nlp: Language,
        name: str = "radpath",
        lang: Optional[str] = None,
        lexicons: Optional[str] = None,
        set_ents: bool = True,
        span_group: str = "radpath",
    ) -> None:
        _register_extensions()
        if lang is None and nlp.lang in ("nl", "en"):
            lang = nlp.lang
        self.name = name
        self.lang = lang
        self.set_ents = set_ents
        self.span_group = span_group
        self.extractor = Extractor(lexicons)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        record = self.extractor.extract({"id": "doc", "text": text}, lang=self.lang)
        doc._.radpath = record
        if "error" in record:  # an empty text: nothing to mark
            doc.spans[self.span_group] = []
            return doc
        lang = self.lang or record["summary"]["language"]
        # (byte start, byte end, label, facts, assertion or None)
        found: List[Tuple[int, int, str, Dict[str, Any], Optional[Dict[str, str]]]] = []
        found.extend(self._lesions(record))
        found.extend(self._markers(record, text, lang))
        found = sorted(set((s, e, lab, json.dumps(f, sort_keys=True), json.dumps(a)) for s, e, lab, f, a in found))
        offsets = char_offsets(text, [b for s, e, *_ in found for b in (s, e)])
        spans: List[Span] = []
        to_qualify: List[Tuple[Span, Dict[str, Any]]] = []
        for i, (_, _, label, facts, assertion) in enumerate(found):
            start, end = offsets[2 * i], offsets[2 * i + 1]
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            facts = json.loads(facts)
            assertion = json.loads(assertion)
            if assertion is None:
                to_qualify.append((span, facts))
            else:
                _qualify_span(span, assertion, facts)
            spans.append(span)
        if to_qualify:
            answers = self.extractor.qualify(
                text, [(s.start_char, s.end_char) for s, _ in to_qualify], lang=lang
            )
            for (span, facts), answer in zip(to_qualify, answers):
                _qualify_span(span, answer if "error" not in answer else {}, facts)
        doc.spans[self.span_group] = spans
        if self.set_ents:
            taken = set()
            for ent in doc.ents:
                taken.update(range(ent.start, ent.end))
            new = [s for s in filter_spans(spans) if not taken.intersection(range(s.start, s.end))]
            if new:
                doc.ents = sorted(list(doc.ents) + new, key=lambda s: s.start)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    @staticmethod
    def _lesions(record: Dict[str, Any]):
        """Every lesion mention (a ``lesion`` fact), with the assertion of the lesion it
        belongs to (``None``: to be qualified on its own)."""
        owner: Dict[Tuple[int, int], int] = {}
        for i, lesion in enumerate(record.get("lesions", [])):
            for ev in lesion.get("evidence", []):
                owner.setdefault((ev["start"], ev["end"]), i)
        for fact in record.get("facts", []):
            if fact.get("field") != "lesion":
                continue
            key = (fact["start"], fact["end"])
            facts: Dict[str, Any] = {"kind": fact["value"].get("kind"), "rule": fact.get("rule")}
            assertion = None
            if key in owner:
                lesion = record["lesions"][owner[key]]
                facts["lesion"] = owner[key]
                assertion = lesion.get("assertion")
            yield key[0], key[1], "LESION", facts, assertion

    def _markers(self, record: Dict[str, Any], text: str, lang: str):
        """Every marker with a result: the marker's own words inside the result's
        evidence (which spans "positief voor CK20, CDX2" for CDX2)."""
        facts = [f for f in record.get("facts", []) if f.get("field") == "ihc"]
        if not facts:
            return
        matches = json.loads(
            self.extractor._native.lexicon_matches_json(text, lang, ["ihc_marker"])
        )
        by_marker: Dict[str, List[Tuple[int, int]]] = {}
        for m in matches:
            for pair in m["label"].split():
                key, _, value = pair.partition("=")
                if key == "marker":
                    by_marker.setdefault(value, []).append((m["start"], m["end"]))
        for fact in facts:
            value = fact.get("value") or {}
            marker = value.get("marker")
            inside = sorted(
                {
                    (s, e)
                    for s, e in by_marker.get(marker, [])
                    if fact["start"] <= s and e <= fact["end"]
                }
            )
            if not inside:
                continue
            # The marker at an edge of the evidence is the one the result is about.
            edge = [p for p in inside if p[0] == fact["start"] or p[1] == fact["end"]]
            s, e = (edge or inside)[0]
            yield s, e, "MARKER", {"marker": marker, "result": value.get("result"), "rule": fact.get("rule")}, None


@Language.factory(
    "radpath",
    default_config={
        "lang": None,
        "lexicons": None,
        "set_ents": True,
        "span_group": "radpath",
    },
)
def make_radpath(
    nlp: Language,
    name: str,
    lang: Optional[str],
    lexicons: Optional[str],
    set_ents: bool,
    span_group: str,
) -> RadpathComponent:
    """The spaCy factory of the ``radpath`` component."""
    return RadpathComponent(
        nlp, name, lang=lang, lexicons=lexicons, set_ents=set_ents, span_group=span_group
    )
