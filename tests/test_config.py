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


def test_postgresql_connections_plan_each_statement_for_its_values(app):
    """No generic plan for a statement run many times on one connection (see POSTGRES_CONNECT_ARGS);
    SQLite has no such setting and gets no connection arguments."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert db.session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
        else:
            assert "connect_args" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]


def test_postgresql_connection_arguments_keep_those_configured(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.internal/thinkdo")
    config = Config()
    config.SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": 3, "connect_args": {"connect_timeout": 5}}
    config.finalise(tmp_path)
    assert config.SQLALCHEMY_ENGINE_OPTIONS == {"pool_size": 3, "connect_args": {
        "options": "-c plan_cache_mode=force_custom_plan", "connect_timeout": 5}}
    assert Config.SQLALCHEMY_ENGINE_OPTIONS == {}  # the class default is not changed


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


def _config(monkeypatch, *, app_env: str, base_url: str | None, listening: str | None):
    from app.core.config import LISTEN_URL_VAR

    monkeypatch.setenv("APP_ENV", app_env)
    for name, value in (("BASE_URL", base_url), (LISTEN_URL_VAR, listening)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return config_from_environment()


def test_development_links_use_the_address_the_server_listens_on(monkeypatch):
    config = _config(monkeypatch, app_env="development", base_url=None, listening="http://127.0.0.1:8102")
    assert config.BASE_URL == "http://127.0.0.1:8102"


def test_development_without_a_known_address_keeps_the_default(monkeypatch):
    assert _config(monkeypatch, app_env="development", base_url=None, listening=None).BASE_URL == "http://127.0.0.1:8000"


def test_a_configured_base_url_wins_in_development(monkeypatch):
    config = _config(monkeypatch, app_env="development", base_url="https://dev.example.jp/", listening="http://127.0.0.1:8102")
    assert config.BASE_URL == "https://dev.example.jp"


def test_production_keeps_base_url_whatever_the_server_listens_on(monkeypatch):
    config = _config(monkeypatch, app_env="production", base_url="https://platform.example.jp", listening="http://10.0.0.5:8000")
    assert config.BASE_URL == "https://platform.example.jp"


def test_production_never_uses_the_listening_address(monkeypatch):
    config = _config(monkeypatch, app_env="production", base_url=None, listening="http://10.0.0.5:8000")
    assert config.BASE_URL == "http://127.0.0.1:8000"


@pytest.mark.parametrize(("address", "url"), [(("127.0.0.1", 8102), "http://127.0.0.1:8102"),
                                               (("0.0.0.0", 8103), "http://127.0.0.1:8103"),  # noqa: S104 - an address gunicorn reports, not one bound here
                                               (("::", 8104, 0, 0), "http://[::1]:8104")])
def test_listen_url_of_a_bound_address(address, url):
    from app.core.config import listen_url

    assert listen_url(address) == url


def test_the_gunicorn_hook_publishes_the_bound_port_to_the_workers(monkeypatch):
    import importlib.util
    import os
    import socket
    from pathlib import Path
    from types import SimpleNamespace

    from app.core.config import LISTEN_URL_VAR

    spec = importlib.util.spec_from_file_location("gunicorn_conf", Path(__file__).resolve().parents[1] / "gunicorn.conf.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.delenv(LISTEN_URL_VAR, raising=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        server = SimpleNamespace(LISTENERS=[SimpleNamespace(sock=sock)])
        hooks.when_ready(server)
        assert os.environ[LISTEN_URL_VAR] == f"http://127.0.0.1:{sock.getsockname()[1]}"
        monkeypatch.delenv(LISTEN_URL_VAR)
        monkeypatch.setenv("BASE_URL", "https://platform.example.jp")
        hooks.when_ready(server)
        assert LISTEN_URL_VAR not in os.environ


@pytest.mark.parametrize("key", ["x", "s" * 31, "鍵" * 10])  # 10 kanji are 30 bytes
def test_production_refuses_a_secret_key_shorter_than_32_bytes(monkeypatch, tmp_path, key):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    with pytest.raises(ConfigError, match="at least 32 bytes"):
        create_app(config_from_environment(), instance_path=str(tmp_path))


def test_production_accepts_a_32_byte_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "鍵" * 11)  # 33 bytes
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    assert create_app(config_from_environment(), instance_path=str(tmp_path)).config["SECRET_KEY"] == "鍵" * 11


def test_remember_me_lasts_30_days_unless_configured(monkeypatch):
    from datetime import timedelta

    monkeypatch.delenv("REMEMBER_DAYS", raising=False)
    assert Config().REMEMBER_COOKIE_DURATION == timedelta(days=30)
    monkeypatch.setenv("REMEMBER_DAYS", "7")
    assert Config().REMEMBER_COOKIE_DURATION == timedelta(days=7)
    monkeypatch.setenv("REMEMBER_DAYS", "forever")
    with pytest.raises(ConfigError, match="REMEMBER_DAYS"):
        Config()


def test_trusted_proxies_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    monkeypatch.delenv("TRUST_PROXY_HEADERS", raising=False)
    assert Config().TRUSTED_PROXIES == 0
    monkeypatch.setenv("TRUST_PROXY_HEADERS", "1")  # the older switch means one proxy
    assert Config().TRUSTED_PROXIES == 1
    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    assert Config().TRUSTED_PROXIES == 2


def test_remember_me_cookie_lifetime_is_sent(app, client, member):
    from tests.conftest import AuthActions

    response = AuthActions(client).login(member, remember="y")
    from datetime import datetime, timedelta, timezone
    from email.utils import parsedate_to_datetime

    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    lifetime = expires - datetime.now(timezone.utc)
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)
