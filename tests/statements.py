"""Counting the SQL statements a page sends: `with counted_statements() as statements: client.get(...)`.

Reusable by any test (`from tests.statements import counted_statements, statement_count`). Transaction
control (BEGIN, SAVEPOINT, RELEASE, ROLLBACK) is not counted: it does not grow with the data.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from models import db

_CONTROL = re.compile(r"^\s*(BEGIN|SAVEPOINT|RELEASE|ROLLBACK|COMMIT)\b", re.IGNORECASE)


@contextmanager
def counted_statements(engine=None) -> Iterator[list[str]]:
    """The statements sent on `engine` (default: the app's) while the block runs, in order."""
    engine = engine or db.engine
    statements: list[str] = []

    def capture(_conn, _cursor, statement, *_args):
        if not _CONTROL.match(statement):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", capture)


def statement_count(client, path: str, *, expect: int = 200) -> int:
    """The number of statements one GET of `path` sends (warm: the page is requested once before)."""
    assert client.get(path).status_code == expect, path
    with counted_statements() as statements:
        response = client.get(path)
    assert response.status_code == expect, path
    return len(statements)
