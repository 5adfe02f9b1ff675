"""Engine set-up: SQLite in WAL mode with a busy timeout and `BEGIN IMMEDIATE` transactions."""
from __future__ import annotations

from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from models import db

from .config import PROJECT_ROOT

# How long a writer waits for the lock before "database is locked". Write transactions are short
# (the slow password hash runs outside them), so waiting this long only happens under heavy load.
SQLITE_BUSY_TIMEOUT_MS = 15000


def migration_heads() -> list[str]:
    """The migration revision(s) this code's models are at (what `flask db upgrade` leads to)."""
    return sorted(ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_heads())


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)


def _configure_sqlite(engine: Engine) -> None:
    """Several gunicorn workers share one SQLite file without "database is locked".

    A deferred transaction that reads and then writes fails when another writer got there first;
    taking the write lock at BEGIN (IMMEDIATE) makes the busy timeout apply instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every test
        dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN
        cursor = dbapi_connection.cursor()
        # The busy timeout first, so that even switching to WAL waits for a lock instead of failing.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
