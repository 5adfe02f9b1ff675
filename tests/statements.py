"""Counting the SQL statements a block of code runs (a page's cost must not grow with the data)."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from models import db


@contextmanager
def count_statements():
    """`with count_statements() as statements: ...` then `len(statements)`."""
    statements: list[str] = []

    def capture(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", capture)
