"""A Core SELECT compiled once per dialect and run on the connection's own DBAPI cursor.

For the hottest reads only. On a warm SQLite connection, SQLAlchemy's execution layer (the
execution context, the result object, events) costs more than the query: 45 of the 80 µs
an `/asset show` read took. What it does that matters is kept: the statement is built and
compiled by SQLAlchemy, parameters and values pass through the column types' bind and
result processors, the connection and its pool are SQLAlchemy's, errors are raised as
SQLAlchemy's (``DBAPIError`` and its subclasses), and a connection found lost is
invalidated. A statement with an expanding (``IN``) parameter, whose SQL depends on its
values, goes through SQLAlchemy's execution instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.exc import DBAPIError

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    order: tuple[str, ...] | None  # parameter names in positional order; None: by name
    fixed: dict[str, Any]  # values compiled into the statement's own parameters (a LIMIT)
    binds: dict[str, Processor]
    results: tuple[tuple[int, Callable[[Any], Any]], ...]  # (column, processor) where one is


_EXPANDING = _Compiled("", None, {}, {}, ())  # marks a statement SQLAlchemy must render


class CompiledSelect:
    """``rows(conn, params)``: the statement's rows as plain tuples, column types applied."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        dialect = conn.dialect
        compiled = self._by_dialect.get(dialect.name) or self._compile(dialect)
        if compiled is _EXPANDING:
            return [tuple(row) for row in conn.execute(self.statement, params)]
        values = {**compiled.fixed, **params}
        for name, process in compiled.binds.items():
            if process is not None:
                values[name] = process(values[name])
        args: Any = (
            values if compiled.order is None else tuple(values[name] for name in compiled.order)
        )
        dbapi_conn = conn.connection.dbapi_connection
        cursor = dbapi_conn.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(compiled.sql, args)
            found = cursor.fetchall()
        except dialect.loaded_dbapi.Error as exc:
            lost = dialect.is_disconnect(exc, dbapi_conn, cursor)
            if lost:
                conn.invalidate(exc)
            raise DBAPIError.instance(
                compiled.sql,
                args,
                exc,
                dialect.loaded_dbapi.Error,
                connection_invalidated=lost,
                dialect=dialect,
            ) from exc
        finally:
            cursor.close()
        if not compiled.results:
            return found if isinstance(found, list) else list(found)
        rows = []
        for row in found:
            converted = list(row)
            for index, process in compiled.results:
                converted[index] = process(converted[index])
            rows.append(tuple(converted))
        return rows

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect)
        binds = compiled.binds  # by the name the SQL uses, anonymous ones (a LIMIT) included
        if any(bind.expanding for bind in binds.values()):
            self._by_dialect[dialect.name] = _EXPANDING
            return _EXPANDING
        result = _Compiled(
            sql=str(compiled),
            order=tuple(compiled.positiontup) if compiled.positiontup is not None else None,
            fixed={name: bind.value for name, bind in binds.items() if bind.value is not None},
            binds={
                name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                for name, bind in binds.items()
            },
            results=tuple(
                (index, process)
                for index, column in enumerate(self.statement.selected_columns)
                if (process := column.type.dialect_impl(dialect).result_processor(dialect, None))
            ),
        )
        self._by_dialect[dialect.name] = result
        return result
