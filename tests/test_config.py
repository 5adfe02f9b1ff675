"""Configuration from the environment."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from app import create_app
from app.core.config import Config, ConfigError, ProductionConfig, config_from_environment
from app.core.database import SQLITE_BUSY_TIMEOUT_MS
from models import db


def test_production_refuses_to_start_without_secret_and_database(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = config_from_environment()
    assert isinstance(config, ProductionConfig)
    with pytest.raises(ConfigError, match="SECRET_KEY, DATABASE_URL"):
        create_app(config, instance_path=str(tmp_path))


def test_production_with_both_starts_with_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 64)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    app = create_app(config_from_environment(), instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SECRET_KEY"] == "s" * 64


def test_development_secret_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first = create_app(Config(), instance_path=str(tmp_path)).config["SECRET_KEY"]
    second = create_app(Config(), instance_path=str(tmp_path)).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(Config(), instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'thinkdo.sqlite3'}"


def test_postgresql_url_uses_psycopg3(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.internal/thinkdo")
    config = Config()
    config.finalise(tmp_path)
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u:p@db.internal/thinkdo"


@pytest.fixture
def sqlite_engine(tmp_path):
    """An engine of an app on its own SQLite file, whatever database the suite runs on."""
    from app.core.config import TestConfig

    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"
    sqlite_app = create_app(config, instance_path=str(tmp_path))
    with sqlite_app.app_context():
        yield db.engine
        db.engine.dispose()


def test_sqlite_runs_in_wal_mode_with_busy_timeout(sqlite_engine):
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_sqlite_transactions_begin_immediate(sqlite_engine):
    from sqlalchemy import event

    statements: list[str] = []

    def capture(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(sqlite_engine, "before_cursor_execute", capture)
    try:
        with sqlite_engine.begin() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        event.remove(sqlite_engine, "before_cursor_execute", capture)
    assert statements[0] == "BEGIN IMMEDIATE"
