"""Spark helpers: run radpath inside ``mapPartitions`` with the Python package.

    >>> from radpath.spark import extract_partition, extract_partition_json
    >>> records = rdd.mapPartitions(extract_partition)            # doctest: +SKIP
    >>> lines = df.rdd.mapPartitions(extract_partition_json)      # doctest: +SKIP
    >>> spark.read.json(lines)                                    # doctest: +SKIP

Each element is a ``str`` (a report text), a dict or a ``pyspark.sql.Row`` with ``id``,
``text`` and optionally ``lang`` (other fields go to ``meta``). Every element gives one
output, in partition order: a record, or an error record. The package (the wheel) must be
installed on every worker. Each Python worker compiles the lexicons once (a few tens of
milliseconds) and reuses them for every partition it runs.

The other way, ``RDD.pipe`` over the ``radpath`` binary, is described in the README
("Python and Spark").
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Optional

import radpath

__all__ = ["extract_partition", "extract_partition_json"]


def _plain(row: Any) -> Any:
    as_dict = getattr(row, "asDict", None)
    return as_dict() if callable(as_dict) else row


def _chunks(rows: Iterable[Any], size: int) -> Iterator[List[Any]]:
    """Chunks of a partition; an element without an id gets its position in the
    partition."""
    chunk: List[Any] = []
    for index, row in enumerate(rows):
        chunk.append(radpath._positioned(_plain(row), index))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_partition(
    rows: Iterable[Any], lang: Optional[str] = None, jobs: int = 1, chunk_size: int = 256
) -> Iterator[Dict[str, Any]]:
    """A ``mapPartitions`` function: one record dict per element, in order. ``jobs=1`` by
    default, since Spark already runs one task per core."""
    ex = radpath._extractor()
    for chunk in _chunks(rows, chunk_size):
        yield from ex.extract_many(chunk, jobs=jobs, lang=lang)


def extract_partition_json(
    rows: Iterable[Any], lang: Optional[str] = None, jobs: int = 1, chunk_size: int = 256
) -> Iterator[str]:
    """Like :func:`extract_partition`, but each record as its JSON line, byte for byte what
    ``radpath extract`` writes (for ``spark.read.json`` or ``saveAsTextFile``)."""
    ex = radpath._extractor()
    for chunk in _chunks(rows, chunk_size):
        yield from ex.extract_many_json(chunk, jobs=jobs, lang=lang)
