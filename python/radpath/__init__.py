"""radpath: structured liver-cancer staging facts from Dutch and English radiology and
pathology reports.

The same records as the ``radpath`` command line writes, one dict per report::

    >>> import radpath
    >>> rec = radpath.extract("CT abdomen: twee levermetastasen in segment 7, grootste 2,3 cm.")
    >>> rec["summary"]["liver_metastasis"]
    'present'

Extraction runs in Rust: :func:`extract_many` releases the GIL and uses every core.
Every input gives exactly one output, in input order: a record, or an error record
``{"id", "error": {"kind", "message"}, "provenance"}`` for an input that cannot be read
(empty text, no ``text`` key, ...). One bad report never raises.
"""

from __future__ import annotations

import gc
import json
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

from radpath._radpath import Extractor as _NativeExtractor
from radpath._radpath import __version__, schema_json as _schema_json

__all__ = [
    "Extractor",
    "extract",
    "extract_many",
    "extract_iter",
    "qualify",
    "to_pandas",
    "char_offsets",
    "summary_rows",
    "schema",
    "SUMMARY_COLUMNS",
    "__version__",
]

Item = Union[str, bytes, Mapping[str, Any]]
Record = Dict[str, Any]
Span = Union[Sequence[int], Mapping[str, int]]

#: The columns of :func:`to_pandas` and :func:`summary_rows`, in order: the same names as
#: the command line's ``--format csv``, with Python values (lists stay lists, ``ihc`` and
#: ``labs`` stay dicts) instead of joined text.
SUMMARY_COLUMNS = (
    "id",
    "error_kind",
    "error_message",
    "language",
    "report_type",
    "modality",
    "liver_metastasis",
    "lesion_count",
    "lesion_count_at_least",
    "largest_lesion_mm",
    "segments",
    "lobes",
    "bilobar",
    "patterns",
    "lirads_stated",
    "ihc",
    "histology",
    "margin_mm",
    "resection",
    "specimen_weight_g",
    "labs",
    "m_category",
    "meta",
    "source",
    "line",
    "encoding",
    "sha256",
)


class Extractor:
    """The compiled lexicons of radpath, shared read-only by every thread.

    ``Extractor()`` uses the lexicons built into the package; ``Extractor(lexicons=DIR)``
    adds or replaces lexicon files from ``DIR`` (as ``--lexicons DIR`` does on the command
    line) and raises ``ValueError`` listing every malformed line. Compiling takes a few
    tens of milliseconds; make one and reuse it. The module-level functions use a shared
    default instance.
    """

    def __init__(self, lexicons: Optional[str] = None) -> None:
        self._native = _NativeExtractor(None if lexicons is None else str(lexicons))

    @property
    def lexicons_version(self) -> str:
        """The hash of the lexicons in use, as written in ``provenance.lexicons``."""
        return self._native.lexicons_version

    def extract(self, text: Item, lang: Optional[str] = None) -> Record:
        """The record of one report: see :func:`radpath.extract`."""
        return json.loads(self._native.extract_json(text, lang))

    def extract_many(
        self, items: Iterable[Item], jobs: Optional[int] = None, lang: Optional[str] = None
    ) -> List[Record]:
        """The records of many reports, in input order: see :func:`radpath.extract_many`."""
        lines = self._native.extract_many_json(items, lang, jobs)
        # Millions of new containers would set off the cyclic collector again and again
        # (it more than doubles the time); records hold no cycles.
        enabled = gc.isenabled()
        gc.disable()
        try:
            loads = json.loads
            return [loads(line) for line in lines]
        finally:
            if enabled:
                gc.enable()

    def extract_many_json(
        self, items: Iterable[Item], jobs: Optional[int] = None, lang: Optional[str] = None
    ) -> List[str]:
        """Like :meth:`extract_many`, but each record as its JSON line (without newline),
        byte for byte what ``radpath extract`` writes; cheaper when the records are only
        written out again (e.g. to a file or a Spark text column)."""
        return self._native.extract_many_json(items, lang, jobs)

    def extract_iter(
        self,
        items: Iterable[Item],
        jobs: Optional[int] = None,
        lang: Optional[str] = None,
        chunk_size: int = 1024,
    ) -> Iterator[Record]:
        """Streams records for an iterable of any length: see :func:`radpath.extract_iter`."""
        if chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        chunk: List[Any] = []
        offset = 0
        for item in items:
            chunk.append(_positioned(item, offset + len(chunk)))
            if len(chunk) >= chunk_size:
                yield from self.extract_many(chunk, jobs=jobs, lang=lang)
                offset += len(chunk)
                chunk = []
        if chunk:
            yield from self.extract_many(chunk, jobs=jobs, lang=lang)

    def qualify(
        self,
        text: str,
        spans: Iterable[Span],
        lang: Optional[str] = None,
        offsets: str = "char",
    ) -> List[Dict[str, Any]]:
        """The qualifiers of given spans: see :func:`radpath.qualify`."""
        answer, line_error = self._native.qualify_json(text, list(spans), lang, offsets)
        out = json.loads(answer)
        if line_error:
            raise ValueError(out["error"]["message"])
        return out["spans"]


def _positioned(item: Any, index: int) -> Any:
    """An item of a stream, given its position in the whole stream as its default id
    (inside a chunk the position would restart at 0)."""
    if isinstance(item, (str, bytes)):
        return {"id": str(index), "text": item}
    if isinstance(item, Mapping) and item.get("id") is None:
        return {**item, "id": str(index)}
    return item


_default: Optional[Extractor] = None


def _extractor() -> Extractor:
    global _default
    if _default is None:
        _default = Extractor()
    return _default


def extract(text: Item, lang: Optional[str] = None) -> Record:
    """The record of one report, as a dict: the same record as the command line's JSON
    line (``summary``, ``lesions``, ``facts``, ``staging``, ``provenance``).

    ``text`` is a ``str``, ``bytes`` (UTF-8, else read as Windows-1252, as
    ``--encoding auto`` does) or a dict like a JSON Lines object: ``{"id", "text",
    "lang"?, ...}`` with every other key passed through under ``meta``. ``lang`` is
    ``"nl"``, ``"en"`` or ``None``/``"auto"`` to detect it; an unknown value raises
    ``ValueError``. The id of a bare text is ``"0"``. An empty text gives an error record
    (``{"id", "error": {"kind": "empty_text", ...}}``), not an exception.

    Evidence offsets (``start``, ``end``) are UTF-8 byte offsets into the text, as on the
    command line; :func:`char_offsets` maps them to Python string indices.
    """
    return _extractor().extract(text, lang)


def extract_many(
    texts_or_dicts: Iterable[Item], jobs: Optional[int] = None, lang: Optional[str] = None
) -> List[Record]:
    """The records of many reports, one per input, in input order.

    Items are ``str``, ``bytes`` or dicts ``{"id", "text", "lang"?, ...}`` (other keys go
    to ``meta``); an item without an id gets its position (``"0"``, ``"1"``, ...), and
    ``provenance`` says ``{"source": "python", "line": position + 1}``. Extraction runs
    in Rust on ``jobs`` threads (default: every core) without holding the GIL. An item
    that cannot be read (no ``text``, empty text, not a str/bytes/dict, a per-item lang
    that is not a string...) gives an error record in its place; one bad report never
    raises. A ``lang`` key of an item that is not nl/en/auto stays in ``meta`` and the
    language is detected.
    """
    return _extractor().extract_many(texts_or_dicts, jobs=jobs, lang=lang)


def extract_iter(
    items: Iterable[Item],
    jobs: Optional[int] = None,
    lang: Optional[str] = None,
    chunk_size: int = 1024,
) -> Iterator[Record]:
    """Streams the records of an iterable of any length (a file, a generator, a Spark
    partition), ``chunk_size`` items at a time, each chunk on ``jobs`` threads; memory
    stays bounded by the chunk. Items without an id get their position in the whole
    stream."""
    return _extractor().extract_iter(items, jobs=jobs, lang=lang, chunk_size=chunk_size)


def qualify(
    text: str,
    spans: Iterable[Span],
    lang: Optional[str] = None,
    offsets: str = "char",
) -> List[Dict[str, Any]]:
    """The assertion engine on given spans, as ``radpath qualify`` does: for each span
    ``(start, end)`` (or ``{"start", "end"}``) of ``text``, in Python character offsets
    (``offsets="byte"`` for UTF-8 byte offsets), a dict ``{"start", "end", "presence",
    "temporality", "experiencer", "rules"}`` in input order. Presence is ``present`` /
    ``absent`` / ``uncertain``, temporality ``current`` / ``historical`` / ``future``,
    experiencer ``patient`` / ``family`` / ``other`` (clinlp's value sets); ``rules`` names
    the triggers that applied. A span that cannot be read (reversed, past the end) gets
    ``{"start", "end", "error": {"kind": "invalid_span", "message"}}`` in its place. A bad
    ``lang`` or ``offsets`` raises ``ValueError``.
    """
    return _extractor().qualify(text, spans, lang=lang, offsets=offsets)


def schema() -> Dict[str, Any]:
    """The JSON Schema of one record or error record (as ``radpath schema`` prints)."""
    return json.loads(_schema_json())


def char_offsets(text: str, byte_offsets: Iterable[int]) -> List[int]:
    """Maps UTF-8 byte offsets of ``text`` (as in a record's evidence) to Python string
    indices. Offsets inside a character map to that character's start."""
    wanted = sorted(set(byte_offsets))
    out: Dict[int, int] = {}
    if wanted:
        pos_b = 0
        it = iter(wanted)
        nxt = next(it, None)
        for ci, ch in enumerate(text):
            width = len(ch.encode("utf-8", "surrogatepass"))
            while nxt is not None and nxt < pos_b + width:
                out[nxt] = ci
                nxt = next(it, None)
            pos_b += width
            if nxt is None:
                break
        while nxt is not None:
            out[nxt] = len(text)
            nxt = next(it, None)
    return [out[b] for b in byte_offsets]


def summary_rows(records: Iterable[Record]) -> List[Dict[str, Any]]:
    """One flat dict per record with the keys of :data:`SUMMARY_COLUMNS`: the summary,
    the M category, ``meta``, and where the record came from; an error record fills
    ``error_kind`` and ``error_message`` and leaves the summary empty (``None``)."""
    rows = []
    for rec in records:
        row: Dict[str, Any] = dict.fromkeys(SUMMARY_COLUMNS)
        row["id"] = rec.get("id")
        prov = rec.get("provenance") or {}
        row["source"] = prov.get("source")
        row["line"] = prov.get("line", prov.get("row"))
        row["meta"] = rec.get("meta") or {}
        err = rec.get("error")
        if err is not None:
            row["error_kind"] = err.get("kind")
            row["error_message"] = err.get("message")
            rows.append(row)
            continue
        row["encoding"] = prov.get("encoding")
        row["sha256"] = prov.get("sha256")
        summary = rec.get("summary") or {}
        for key, value in summary.items():
            if key == "lesion_count":
                value = value or {}
                row["lesion_count"] = value.get("value")
                row["lesion_count_at_least"] = value.get("at_least")
            elif key in row:
                row[key] = value
        m = (rec.get("staging") or {}).get("m_category") or {}
        row["m_category"] = m.get("value")
        rows.append(row)
    return rows


def to_pandas(records: Iterable[Record]) -> "Any":
    """The summary as a ``pandas.DataFrame``, one row per record (error records included,
    with ``error_kind`` set), columns :data:`SUMMARY_COLUMNS`. Needs pandas
    (``pip install radpath[pandas]``). Counts and sizes are nullable integers/floats;
    list and dict fields are Python objects."""
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("radpath.to_pandas needs pandas: pip install 'radpath[pandas]'") from e
    df = pd.DataFrame(summary_rows(records), columns=list(SUMMARY_COLUMNS))
    for col in ("lesion_count", "lesion_count_at_least", "line"):
        df[col] = df[col].astype("Int64")
    for col in ("largest_lesion_mm", "margin_mm", "specimen_weight_g"):
        df[col] = df[col].astype("Float64")
    df["bilobar"] = df["bilobar"].astype("boolean")
    return df
