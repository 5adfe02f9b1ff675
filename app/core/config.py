"""Configuration read from the environment, in one class per mode."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class ConfigError(RuntimeError):
    """The environment does not allow the app to start safely."""


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Development defaults: SQLite in the instance folder, e-mail to the outbox folder."""

    ENV_NAME = "development"
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in by `finalise` when DATABASE_URL is absent
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SECRET_KEY: str | None = None
    BASE_URL = "http://127.0.0.1:8000"
    BABEL_DEFAULT_LOCALE = "ja"
    BABEL_DEFAULT_TIMEZONE = "Asia/Tokyo"
    LANGUAGES = ("ja", "en")
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session, so long forms are not lost
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "事務局 <secretariat@thinkdo-dohoku.example>"
    PASSWORD_RESET_HOURS = 2
    # Login throttling: failures allowed in the window, per account and per client address.
    LOGIN_WINDOW_SECONDS = 15 * 60
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    # argon2id parameters (argon2-cffi defaults: t=3, m=64 MiB, p=4).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    TRUST_PROXY_HEADERS = False
    ITEMS_PER_PAGE = 20
    # The JSON API: requests allowed per personal access token in each fixed window (counted in the database).
    API_RATE_LIMIT = 120
    API_RATE_WINDOW_SECONDS = 60
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024  # one evidence file or meeting document
    INVITATION_DAYS = 7  # a colleague's invitation link works this long
    # Yearly membership fee in yen by tier (会員種別); special members are fee-exempt by rule.
    MEMBERSHIP_DUES = {"regular": 100_000, "supporting": 30_000, "special": 0}

    def __init__(self) -> None:
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or self.SQLALCHEMY_DATABASE_URI
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.SECRET_KEY
        self.BASE_URL = os.environ.get("BASE_URL", self.BASE_URL).rstrip("/")
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER") or self.MAIL_SERVER
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", self.MAIL_PORT))
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS", self.MAIL_USE_TLS)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or self.MAIL_USERNAME
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or self.MAIL_PASSWORD
        self.MAIL_SENDER = os.environ.get("MAIL_SENDER", self.MAIL_SENDER)
        self.TRUST_PROXY_HEADERS = _bool("TRUST_PROXY_HEADERS", self.TRUST_PROXY_HEADERS)

    def finalise(self, instance_path: Path) -> None:
        """Fill what depends on the instance folder: the SQLite file and the development key."""
        instance_path.mkdir(parents=True, exist_ok=True)
        if not self.SQLALCHEMY_DATABASE_URI:
            self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{instance_path / 'thinkdo.sqlite3'}"
        if self.SQLALCHEMY_DATABASE_URI.startswith("postgresql://"):
            # psycopg 3 is the driver we ship.
            self.SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://" + self.SQLALCHEMY_DATABASE_URI[len("postgresql://"):]
        if not self.SECRET_KEY:
            self.SECRET_KEY = _instance_secret(instance_path / "secret_key")


class ProductionConfig(Config):
    """Refuses to start without a real secret and a real database."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    def finalise(self, instance_path: Path) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise ConfigError(f"production mode needs {', '.join(missing)} in the environment")
        super().finalise(instance_path)


class TestConfig(Config):
    """Fast password hashing, e-mail kept in memory. CSRF stays on."""

    __test__ = False  # not a pytest test class
    ENV_NAME = "testing"
    TESTING = True
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8192
    ARGON2_PARALLELISM = 1
    SECRET_KEY = "test-secret-key-not-for-production"


def _instance_secret(path: Path) -> str:
    """A development secret generated once and kept in the instance folder."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def config_from_environment() -> Config:
    mode = os.environ.get("APP_ENV", "development").lower()
    if mode == "production":
        return ProductionConfig()
    return Config()
