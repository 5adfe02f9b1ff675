"""SQLite: pages read without the write lock, so a slow page never blocks a writer; writes take it at BEGIN."""
from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import event, func, select, text

import app.core.database
from app import create_app
from app.core.config import TestConfig
from app.core.database import WriteInReadTransaction, begin_write
from app.core.extensions import csrf
from models import LoginAttempt, db


@pytest.fixture
def sqlite_app(tmp_path, monkeypatch) -> Flask:
    """An app on its own SQLite file (whatever the suite runs on), with a slow page and a writing form.

    The busy timeout is short, so a writer blocked by a lock fails at once instead of waiting 15 s.
    """
    monkeypatch.setattr(app.core.database, "SQLITE_BUSY_TIMEOUT_MS", 300)
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'locks.sqlite3'}"
    application = create_app(config, instance_path=str(tmp_path))
    application.reading = threading.Event()
    application.release = threading.Event()

    def slow_page():
        count = db.session.scalar(select(func.count(LoginAttempt.id)))  # the read transaction starts here
        application.reading.set()
        application.release.wait(10)  # a page computing for a long time inside its transaction
        return str(count)

    def write():
        db.session.add(LoginAttempt(account="writer@example.org", address="127.0.0.1"))
        db.session.commit()
        return "", 204

    def page_that_writes():
        db.session.scalar(select(func.count(LoginAttempt.id)))
        db.session.add(LoginAttempt(account="late@example.org", address="127.0.0.1"))
        db.session.commit()
        return "", 204

    def page_that_begins_write():
        db.session.scalar(select(func.count(LoginAttempt.id)))
        begin_write()
        db.session.add(LoginAttempt(account="declared@example.org", address="127.0.0.1"))
        db.session.commit()
        return "", 204

    application.add_url_rule("/_test/slow", "slow_get", slow_page, methods=["GET"])
    application.add_url_rule("/_test/slow-post", "slow_post", csrf.exempt(slow_page), methods=["POST"])
    application.add_url_rule("/_test/write", "write", csrf.exempt(write), methods=["POST"])
    application.add_url_rule("/_test/page-writes", "page_writes", page_that_writes, methods=["GET"])
    application.add_url_rule("/_test/page-begins-write", "page_begins_write", page_that_begins_write, methods=["GET"])
    with application.app_context():
        db.create_all()
    yield application
    application.release.set()
    with application.app_context():
        db.engine.dispose()


def _during_slow_request(sqlite_app: Flask, method: str):
    """Start the slow page in another thread (as another worker would) and wait until it reads."""
    result = {}

    def run():
        client = sqlite_app.test_client()
        result["response"] = client.open("/_test/slow" if method == "GET" else "/_test/slow-post", method=method)

    thread = threading.Thread(target=run)
    thread.start()
    assert sqlite_app.reading.wait(10)
    return thread, result


def _attempts(sqlite_app: Flask) -> list[str]:
    with sqlite_app.app_context():
        return list(db.session.scalars(select(LoginAttempt.account)))


def test_a_slow_page_does_not_block_a_write(sqlite_app):
    thread, result = _during_slow_request(sqlite_app, "GET")
    try:
        response = sqlite_app.test_client().post("/_test/write")
    finally:
        sqlite_app.release.set()
        thread.join(10)
    assert response.status_code == 204
    assert _attempts(sqlite_app) == ["writer@example.org"]
    assert result["response"].status_code == 200


def test_a_request_that_changes_data_holds_the_write_lock_from_its_start(sqlite_app):
    """The other side of the rule, and proof the test above can fail: a POST's transaction locks at BEGIN."""
    thread, _result = _during_slow_request(sqlite_app, "POST")
    try:
        response = sqlite_app.test_client().post("/_test/write")  # "database is locked" after the busy timeout: 503
    finally:
        sqlite_app.release.set()
        thread.join(10)
    assert response.status_code == 503  # the outage page: try again
    assert _attempts(sqlite_app) == []


@pytest.mark.parametrize(("method", "first"), [("GET", "BEGIN"), ("HEAD", "BEGIN"), ("POST", "BEGIN IMMEDIATE"),
                                               ("DELETE", "BEGIN IMMEDIATE")])
def test_reads_begin_deferred_and_changes_begin_immediate(sqlite_app, method, first):
    statements: list[str] = []
    with sqlite_app.test_request_context("/", method=method):
        listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            db.session.execute(text("SELECT 1"))
            db.session.rollback()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert statements[0] == first


def test_a_page_that_writes_without_saying_so_is_reported(sqlite_app):
    with pytest.warns(WriteInReadTransaction, match="/_test/page-writes"):
        assert sqlite_app.test_client().get("/_test/page-writes").status_code == 204


def test_a_page_that_declares_its_write_stores_it_in_a_locked_transaction(sqlite_app):
    statements: list[str] = []
    with sqlite_app.app_context():
        listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert sqlite_app.test_client().get("/_test/page-begins-write").status_code == 204
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert begins == ["BEGIN", "BEGIN IMMEDIATE"]
    assert _attempts(sqlite_app) == ["declared@example.org"]


def test_a_posted_need_ranks_its_similar_pairs_without_holding_the_write_lock(sqlite_app, monkeypatch):
    """The after-commit ranking of a submitted need (stored pairs for packages) runs in a read
    transaction even inside a POST: another worker's write goes through while it computes."""
    from app.needs import similarity_queries

    ranking = threading.Event()
    original = similarity_queries._pairs_of

    def slow_pairs(need_id):
        ranking.set()
        sqlite_app.release.wait(10)
        return original(need_id)

    monkeypatch.setattr(similarity_queries, "_pairs_of", slow_pairs)

    def post_and_rank():
        with sqlite_app.test_request_context("/needs/new", method="POST"):
            db.session.scalar(select(func.count(LoginAttempt.id)))  # a POST's transaction: IMMEDIATE
            similarity_queries.update_pairs({1})

    thread = threading.Thread(target=post_and_rank)
    thread.start()
    assert ranking.wait(10)
    try:
        response = sqlite_app.test_client().post("/_test/write")
    finally:
        sqlite_app.release.set()
        thread.join(10)
    assert response.status_code == 204  # not "database is locked"


def test_a_login_checks_the_password_without_holding_the_write_lock(sqlite_app, monkeypatch):
    """The password hash is slow on purpose: logins arriving together (a team starting its day, the
    load test's ramp) must not wait for one another's hashes, nor writers for them, on SQLite."""
    from app.auth import services
    from app.auth.passwords import hash_password
    from models import Role, User

    with sqlite_app.app_context():
        db.session.add(User(email="staff@example.org", name="事務局", role=Role.SECRETARIAT,
                            password_hash=hash_password("a long passphrase")))
        db.session.commit()
    hashing = threading.Event()
    original = services.verify_password

    def slow_verify(password_hash, password):
        hashing.set()
        sqlite_app.release.wait(10)
        return original(password_hash, password)

    monkeypatch.setattr(services, "verify_password", slow_verify)
    result = {}

    def log_in():
        with sqlite_app.test_request_context("/auth/login", method="POST"):
            result["user"] = services.complete_login("staff@example.org", "", "a long passphrase")
            db.session.commit()
            result["last_login"] = result["user"].last_login_at
            db.session.remove()

    thread = threading.Thread(target=log_in)
    thread.start()
    assert hashing.wait(10)
    try:
        response = sqlite_app.test_client().post("/_test/write")  # another worker's write, while the hash runs
    finally:
        sqlite_app.release.set()
        thread.join(10)
    assert response.status_code == 204  # not "database is locked" (503)
    assert result["last_login"] is not None  # the login itself went through, its write after the hash


def test_commits_while_keeping_loaded_leave_what_was_read_and_then_expire_again(member):
    """`keeping_loaded`: an object read before a commit in the block is shown as read (no statement to
    read it again); the session's usual expiry on commit comes back after the block."""
    from app.core.database import keeping_loaded
    from tests.statements import counted_statements

    email = member.email
    with keeping_loaded():
        db.session.add(LoginAttempt(account="kept@example.org", address="127.0.0.1"))
        db.session.commit()
    with counted_statements() as statements:
        assert member.email == email
    assert statements == []
    db.session.commit()
    with counted_statements() as statements:
        assert member.email == email
    assert len(statements) == 1  # expired by the commit outside the block: read again
