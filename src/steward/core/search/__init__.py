"""Global search: declarations (``SearchSpec``), the index writer and the query.

Import the parts from their modules (``steward.core.search.index``, ``.query``); this package
only re-exports the declaration type so apps can write ``from steward.core.search import
SearchSpec`` in their ``search.py`` without loading models.
"""

from steward.core.search.spec import SearchSpec

__all__ = ["SearchSpec"]
