"""Type stubs of the native part of radpath (records cross as JSON lines)."""

from typing import Any, Iterable, List, Optional, Tuple

__version__: str

class Extractor:
    """The compiled lexicons; ``lexicons`` adds or replaces lexicon files from a folder."""

    def __init__(self, lexicons: Optional[str] = None) -> None: ...
    @property
    def lexicons_version(self) -> str: ...
    def extract_json(self, item: Any, lang: Optional[str] = None) -> str:
        """One record (or error record) as a JSON line."""
    def extract_many_json(
        self, items: Iterable[Any], lang: Optional[str] = None, jobs: Optional[int] = None
    ) -> List[str]:
        """One JSON line per item, in input order, extracted without the GIL."""
    def lexicon_matches_json(
        self, text: str, lang: Optional[str] = None, kinds: Optional[List[str]] = None
    ) -> str:
        """Every lexicon match as a JSON list of {start, end, kind, label, rule} (bytes)."""
    def qualify_json(
        self, text: str, spans: List[Any], lang: Optional[str] = None, offsets: str = "char"
    ) -> Tuple[str, bool]:
        """The `radpath qualify` answer line, and whether the request itself failed."""

def schema_json() -> str:
    """The JSON Schema of one output line."""
