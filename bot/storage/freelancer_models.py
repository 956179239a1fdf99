"""ORM models of the freelancer feature (registered with Base.metadata on import)."""

from __future__ import annotations
