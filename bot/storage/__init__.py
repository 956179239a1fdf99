"""Storage: SQLAlchemy models, engine, migrations and queries.

Importing the package registers every table with ``Base.metadata`` (Alembic and the tests
compare against it), whichever feature module is imported first.
"""

from bot.storage import (  # noqa: F401
    approval_models,
    digest_models,
    freelancer_models,
    models,
    outbox_models,
    replay_models,
)
