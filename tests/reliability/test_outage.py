"""A database that cannot be reached gives a 503 page in the user's language with Retry-After, no
traceback and no database access on the error page; the app recovers by itself when it is back.

Under `make test-postgres` the PostgreSQL server itself is stopped and started (pg_ctl, with the
PG_BIN/PG_DIR that tests/postgres.sh runs with); on SQLite the database file is made unopenable
(a directory in its place) and put back.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from models import db


class Outage:
    def __init__(self, app) -> None:
        self.url = app.config["SQLALCHEMY_DATABASE_URI"]
        self.postgres = self.url.startswith("postgresql")

    def _pg_ctl(self, *args: str) -> None:
        pg_ctl = [f"{os.environ['PG_BIN']}/pg_ctl", "-D", f"{os.environ['PG_DIR']}/data", *args]
        if os.getuid() == 0:
            pg_ctl = ["runuser", "-u", "postgres", "--", *pg_ctl]
        subprocess.run(pg_ctl, check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        if self.postgres:
            self._pg_ctl("-m", "fast", "stop")
            return
        db.engine.dispose()  # SQLite keeps open files working: drop them, as a restart of the disk would
        path = Path(self.url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{path}{suffix}")
            if source.exists():
                source.rename(f"{path}{suffix}.away")
        path.mkdir()

    def start(self) -> None:
        if self.postgres:
            port = self.url.rsplit(":", 1)[1].split("/")[0]
            self._pg_ctl("-o", f"-p {port} -k {os.environ['PG_DIR']} -c listen_addresses=127.0.0.1 -c fsync=off",
                         "-l", f"{os.environ['PG_DIR']}/server.log", "-w", "start")
            return
        path = Path(self.url.removeprefix("sqlite:///"))
        shutil.rmtree(path)
        for suffix in ("", "-wal", "-shm"):
            away = Path(f"{path}{suffix}.away")
            if away.exists():
                away.rename(f"{path}{suffix}")


@pytest.fixture
def outage(app):
    down = Outage(app)
    yield down
    if (down.postgres and subprocess.run([f"{os.environ['PG_BIN']}/pg_isready", "-h", "127.0.0.1", "-p",
                                          down.url.rsplit(":", 1)[1].split("/")[0]], capture_output=True).returncode) or (
            not down.postgres and Path(down.url.removeprefix("sqlite:///")).is_dir()):
        down.start()  # never leave the suite without its database


def test_a_database_outage_gives_a_503_in_the_users_language_and_the_app_recovers(client, login_as, member, outage):
    login_as(member)
    assert client.get("/dashboard").status_code == 200
    client.set_cookie("lang", "en")
    db.session.remove()
    outage.stop()
    try:
        missing = client.get("/no-such-page")  # an error page needs no database
        assert missing.status_code == 404 and "Not found" in missing.get_data(as_text=True)
        for path in ("/dashboard", "/needs/", "/members/"):
            response = client.get(path)
            page = response.get_data(as_text=True)
            assert response.status_code == 503, (path, page[:500])
            assert response.headers["Retry-After"] == "30"
            assert "Temporarily unavailable" in page and "cannot reach its database" in page
            assert "Traceback" not in page and "sqlalchemy" not in page.lower() and "psycopg" not in page.lower()
            assert response.headers["X-Request-ID"] in page  # the id a user can quote
        client.set_cookie("lang", "ja")
        assert "一時的に利用できません" in client.get("/dashboard").get_data(as_text=True)
        api = client.get("/dashboard", headers={"Accept": "application/json"})
        assert api.status_code == 503 and api.get_json()["request_id"]
    finally:
        db.session.remove()
        outage.start()
    # Back without restarting anything: the pool replaces the dead connections.
    assert client.get("/dashboard").status_code == 200
    assert client.get("/needs/").status_code == 200


def test_a_pooled_connection_idle_for_long_is_checked_and_replaced_when_dead(app, monkeypatch):
    """A connection that waited in the pool longer than PING_AFTER_IDLE_SECONDS is checked before a
    request uses it; a dead one is replaced, so the request does not fail. One used a moment ago is
    not checked (a round trip per request saved)."""
    import app.core.database as database

    with app.app_context():
        engine = db.engine
        pinged, ping = [], engine.dialect.do_ping

        def dead_the_first_time(dbapi_connection):
            pinged.append(dbapi_connection)
            if len(pinged) == 1:
                raise engine.dialect.dbapi.OperationalError("server closed the connection unexpectedly")
            return ping(dbapi_connection)

        monkeypatch.setattr(engine.dialect, "do_ping", dead_the_first_time)
        db.session.remove()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
        assert pinged == []  # used a moment ago
        monkeypatch.setattr(database, "PING_AFTER_IDLE_SECONDS", 0.0)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
        assert len(pinged) == 2 and pinged[0] is not pinged[1]  # the dead one checked, then its replacement
