"""Every ORM model, imported once so ``metadata`` knows every table (Alembic compares it)."""

from __future__ import annotations

from bot.storage import (  # noqa: F401 - imported for their tables
    approval_models,
    asset_models,
    audit_models,
    calendar_models,
    condition_models,
    department_models,
    digest_models,
    freelancer_models,
    home_models,
    labelcopy_models,
    mail_models,
    outbox_models,
    proof_models,
    purchasing_models,
    release_models,
    replay_models,
)
from bot.storage.base import Base

metadata = Base.metadata
