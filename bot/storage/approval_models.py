"""ORM models of the approval feature (registered with Base.metadata on import)."""

from __future__ import annotations
