"""Readers of the open data the catalog is synced from; each turns one source into rows.

A reader validates its whole input before the sync writes anything: a missing, truncated or
wrongly shaped source raises ``SourceError`` naming the source and what is wrong. A single value
out of range is left out and reported (``SourceRead.rejected``) with the model and field named.
"""

from data.sources.common import SourceError, SourceRead

__all__ = ["SourceError", "SourceRead"]
