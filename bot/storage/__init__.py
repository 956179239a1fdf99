"""Storage: the engine and units of work, the ORM models (one module per capability),
migrations and a few shared queries.

Importing the package registers every table with the metadata (Alembic and the tests compare
against it), whichever model module is imported first.
"""

from bot.storage import schema  # noqa: F401 - registers every table
