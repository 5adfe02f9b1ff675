"""Engine set-up: SQLite in WAL mode with a busy timeout; only transactions that write take the write lock.

A request that changes data (POST, PUT, PATCH, DELETE), a CLI command and anything outside a request
start their transactions with `BEGIN IMMEDIATE`: the write lock is taken at once, so a transaction that
reads and then writes waits for the busy timeout instead of failing with "database is locked". A page
(GET, HEAD, OPTIONS) reads in a deferred transaction, which takes no lock in WAL mode: a slow page
never stalls a writer. A page that must store something (the matcher records its run) calls
`begin_write()` after its computation: the read transaction ends and the next one takes the lock,
so the write transaction is short.
"""
from __future__ import annotations

import logging
import re
import time
import warnings
from contextlib import contextmanager

from alembic.script import ScriptDirectory
from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

from models import db

from .config import PROJECT_ROOT

log = logging.getLogger(__name__)

# How long a writer waits for the lock before "database is locked". Write transactions are short
# (the slow password hash runs outside them), so waiting this long only happens under heavy load.
SQLITE_BUSY_TIMEOUT_MS = 15000
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A pooled connection unused for this long is checked (one round trip) before a request uses it. With
# pool_pre_ping every checkout was checked: a round trip per request, which on PostgreSQL cost the
# machine 2-3 ms of CPU per request in the load test at 100,000 needs (29-31 ms in all, 27-28 without).
PING_AFTER_IDLE_SECONDS = 10.0
_WRITE_STATEMENT = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def insert_on_conflict(dialect: str):
    """The `insert` construct of this dialect ("postgresql" or "sqlite"), which has
    `on_conflict_do_nothing` / `on_conflict_do_update`: the one way the app writes upserts."""
    return postgresql_insert if dialect == "postgresql" else sqlite_insert


class WriteInReadTransaction(RuntimeWarning):
    """A page wrote in a deferred (read) transaction on SQLite: under load this can fail with
    "database is locked" because the lock is taken late. Call `begin_write()` before writing."""


def migration_heads() -> list[str]:
    """The migration revision(s) this code's models are at (what `flask db upgrade` leads to)."""
    return sorted(ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_heads())


def configure_engine(app: Flask) -> None:
    @app.before_request
    def _serving():
        # Tells a page apart from code run in a test_request_context (kept in the request, not in `g`).
        request.environ["thinkdo.serving"] = True
        if writes_expected():
            _end_read_transaction()

    with app.app_context():
        engine = db.engine
        _ping_when_idle(engine)
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)


def _ping_when_idle(engine: Engine) -> None:
    """A pooled connection idle for PING_AFTER_IDLE_SECONDS is checked before use, and replaced when
    it is dead (the database restarted, a firewall dropped it): no request fails on a connection that
    died while it waited. One used within that time is not checked (pool_pre_ping checked every one)."""
    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _idle_from_now(dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError("a pooled connection did not answer") from error  # the pool opens another


def writes_expected() -> bool:
    """Whether the next transaction should take SQLite's write lock at its start."""
    if not has_request_context():
        return True  # CLI commands, tests' set-up, background work: usually write, and are not pages
    if g.get("_read_only", False):
        return False
    return request.method not in READ_METHODS or g.get("_begin_write", False)


def _end_read_transaction() -> None:
    """A request that writes never continues a read transaction. Only where one session outlives a
    request (tests that keep an app context across several requests) is there one to end."""
    session = db.session()
    if session.in_transaction() and session.connection().info.get("sqlite_read_transaction"):
        session.commit()


def begin_write() -> None:
    """This page is about to write: end its read transaction so the next one starts with the lock.

    Call it after the slow part (ranking, rendering data) and before adding or changing rows; the
    objects already loaded stay usable (they are reloaded on access). A no-op on PostgreSQL, whose
    transactions need no such care, apart from ending the read transaction in the same way.
    """
    if has_request_context():
        g._begin_write = True
    if db.session().in_transaction():
        db.session.commit()


@contextmanager
def read_only():
    """Slow reading (ranking) inside a request that writes: it runs in a deferred transaction of its
    own, so SQLite's write lock is not held while it computes. Nothing may be written in the block."""
    if db.session().in_transaction():
        db.session.commit()
    inside = has_request_context()
    previous = g.get("_read_only", False) if inside else False
    if inside:
        g._read_only = True
    try:
        yield
    finally:
        if db.session().in_transaction():
            db.session.commit()  # ends the read transaction; it wrote nothing
        if inside:
            g._read_only = previous


@contextmanager
def keeping_loaded():
    """Commits in the block leave the objects the session loaded as they were read, not expired: for
    a page that shows, after a short write of its own, what it read just before it (the matcher
    stores its run, then shows it with the request it ranked; reading them again cost four
    statements). Only for objects the block does not change through SQL the session does not see."""
    session = db.session()
    previous, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = previous


@contextmanager
def write_transaction():
    """A short write inside a page (the API counting a token's request): the read transaction ends,
    the block runs in a transaction that takes the lock at its start and is committed at the block's
    end; what the page reads afterwards is read without the lock again."""
    begin_write()
    try:
        yield
        db.session.commit()
    finally:
        if has_request_context():
            g._begin_write = False


def _configure_sqlite(engine: Engine) -> None:
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
        immediate = writes_expected()
        connection.info["sqlite_read_transaction"] = not immediate
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def _check_write(connection, _cursor, statement, _parameters, _context, _executemany):
        # Only pages matter: tests and commands run alone, whatever their transactions.
        if (connection.info.get("sqlite_read_transaction") and has_request_context()
                and request.environ.get("thinkdo.serving") and _WRITE_STATEMENT.match(statement)):
            connection.info["sqlite_read_transaction"] = False  # one warning per transaction
            path = request.path
            log.warning("write in a read transaction on %s: %s", path, statement[:80])
            warnings.warn(WriteInReadTransaction(f"{path}: {statement[:80]}"), stacklevel=2)
