"""ORM models of the digest feature (registered with Base.metadata on import)."""

from __future__ import annotations
