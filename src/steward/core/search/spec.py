"""What a model puts into the global search index, and how text is cut into words.

Each registered model may declare a ``SearchSpec`` (usually in its app's ``search.py``, passed
to ``registry.register(..., search=...)``). Field weights go from 1 (minor text such as a
description) to 3 (names, references); each weight is one column of the index, so SQLite FTS5
(bm25 column weights) and PostgreSQL (tsvector weights A/B/C) rank a name hit above a
description hit the same way.

Text is normalised here, in Python, before either engine sees it: lower-cased, accents
removed, split into runs of letters and digits. Both engines then tokenise identical input the
same way, so a query finds the same rows on SQLite and on PostgreSQL (``ada@example.org``
is the three words ``ada example org`` on both).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

WEIGHTS = (3, 2, 1)
"""Allowed field weights, highest first; weight ``w`` is index column ``text_{a,b,c}``."""

COLUMN_FOR_WEIGHT = {3: "text_a", 2: "text_b", 1: "text_c"}
TITLE_LENGTH = 200
SUMMARY_LENGTH = 300
MAX_QUERY_WORDS = 8

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The index words of ``text``: lower case, no accents, letters and digits only."""
    if not text:
        return []
    if text.isascii():  # nothing to decompose or strip: the same words, without the per-character pass
        return _WORD.findall(text.lower())
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def normalise(text: str) -> str:
    return " ".join(words(text))


@dataclass(frozen=True)
class SearchSpec:
    """A model's search declaration.

    ``fields`` maps attribute names to a weight in ``WEIGHTS``; ``display`` gives the result
    title (default ``str(obj)``) and ``summary`` a one-line subtitle, each as an attribute
    name or a callable taking the object. Only the model's own columns should be listed:
    the index is refreshed when the object itself is saved.
    """

    fields: dict[str, int]
    display: str | Callable[[Any], str] | None = None
    summary: str | Callable[[Any], str] | None = None
    _columns: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.fields:
            raise ValueError("A SearchSpec needs at least one field.")
        bad = {name: w for name, w in self.fields.items() if w not in WEIGHTS}
        if bad:
            raise ValueError(f"Search weights must be one of {WEIGHTS}: {bad}")
        columns = {
            column: tuple(name for name, w in self.fields.items() if w == weight)
            for weight, column in COLUMN_FOR_WEIGHT.items()
        }
        object.__setattr__(self, "_columns", columns)

    def texts(self, obj: Model) -> dict[str, str]:
        """The normalised text of each index column for ``obj``.

        A column's fields are joined by a space and cut into words once: the space separates
        words, so that gives the words of each field in turn (bulk indexing does this per row).
        """
        result = {}
        for column, names in self._columns.items():
            values = [getattr(obj, name, None) for name in names]
            result[column] = normalise(" ".join(str(v) for v in values if v is not None and v != ""))
        return result

    def title(self, obj: Model) -> str:
        return _resolve(obj, self.display, default=str(obj))[:TITLE_LENGTH]

    def subtitle(self, obj: Model) -> str:
        return _resolve(obj, self.summary, default="")[:SUMMARY_LENGTH]


def _resolve(obj: Model, how: str | Callable[[Any], str] | None, *, default: str) -> str:
    if how is None:
        return default
    value = how(obj) if callable(how) else getattr(obj, how, "")
    return "" if value is None else " ".join(str(value).split())
