"""Configuration read from the environment, in one class per mode."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


# Set by gunicorn.conf.py (when_ready) to the address the server really listens on, for development links.
LISTEN_URL_VAR = "THINKDO_LISTEN_URL"


def base_url(env_name: str, environ, default: str) -> str:
    """The address put into e-mailed links and calendar feeds (never the request's Host header).

    A configured BASE_URL always wins; production keeps it (or the default). In development without
    BASE_URL, links use the address the server actually listens on (`make run PORT=8102`).
    """
    configured = (environ.get("BASE_URL") or "").strip()
    if configured:
        return configured.rstrip("/")
    listening = environ.get(LISTEN_URL_VAR, "").strip() if env_name == "development" else ""
    return (listening or default).rstrip("/")


def listen_url(address) -> str:
    """http://host:port for a listening socket's address; a wildcard bind is reached through the loopback."""
    host, port = address[0], address[1]
    if host in ("0.0.0.0", ""):  # reading a bound address, not binding  # noqa: S104  # nosec B104
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class ConfigError(RuntimeError):
    """The environment does not allow the app to start safely."""


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ConfigError(f"{name} must not be negative")
    return number


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# PostgreSQL plans every statement for the values it is given. psycopg prepares a statement that its
# connection has run five times, and after five more runs PostgreSQL may keep one generic plan for all
# values: the similar-needs retrieval (full text, its tsquery a bound value) then took 115-190 ms
# instead of 14-17 ms on every later run on that connection (100,000 needs). Prepared statements
# still save the parsing.
POSTGRES_CONNECT_ARGS = {"options": "-c plan_cache_mode=force_custom_plan"}


class Config:
    """Development defaults: SQLite in the instance folder, e-mail to the outbox folder."""

    ENV_NAME = "development"
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in by `finalise` when DATABASE_URL is absent
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # idle pooled connections are checked before use (app.core.database)
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
    # Who sends the outbox (app/mail.py): "thread" in the app process, "worker" = `flask send-mail --loop`.
    MAIL_DELIVERY = "thread"
    MAIL_POLL_SECONDS = 30  # how often the sender looks for retries that have come due
    MAIL_MAX_ATTEMPTS = 12  # with backoff doubling from 1 minute (at most 6 h), about 1.5 days of retries
    MAIL_TIMEOUT_SECONDS = 10
    PASSWORD_RESET_HOURS = 2
    REMEMBER_DAYS = 30  # how long "keep me logged in" lasts (env REMEMBER_DAYS)
    REMEMBER_COOKIE_DURATION = timedelta(days=REMEMBER_DAYS)
    # Login throttling (OWASP): failures counted in the database, so every worker sees them.
    # Per account, from browsers it has never logged in on: after LOGIN_MAX_FAILURES_PER_ACCOUNT
    # failures in LOGIN_ACCOUNT_WINDOW_SECONDS the account waits LOGIN_FIRST_DELAY_SECONDS, doubled
    # after each further failure, at most LOGIN_MAX_DELAY_SECONDS. Browsers holding the account's
    # device cookie are not held by that wait (each cookie has its own limit of the same size).
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_ACCOUNT_WINDOW_SECONDS = 24 * 60 * 60
    LOGIN_FIRST_DELAY_SECONDS = 60
    LOGIN_MAX_DELAY_SECONDS = 15 * 60
    # Per address: past this many failures in the window, the address may only try accounts it has
    # not failed on yet (a correct password for such an account still logs in).
    LOGIN_WINDOW_SECONDS = 15 * 60
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    DEVICE_COOKIE_NAME = "td_device"
    DEVICE_COOKIE_DAYS = 365
    # argon2id parameters: OWASP's Password Storage Cheat Sheet baseline (m=19 MiB, t=2, p=1), about
    # 20 ms of one core. argon2-cffi's defaults (t=3, m=64 MiB, p=4) took 160 ms of CPU over both cores
    # of a 2-core server, so 50 people logging in within seconds stalled every page. Hashes made with
    # other parameters still verify and are re-hashed at the next successful login.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19456
    ARGON2_PARALLELISM = 1
    # Reverse proxies in front of the app that append to X-Forwarded-For (nginx: 1). The client's
    # address is the entry this many places from the right; 0 trusts no header (env TRUSTED_PROXIES;
    # the older TRUST_PROXY_HEADERS=1 means 1).
    TRUSTED_PROXIES = 0
    MIN_SECRET_KEY_BYTES = 32
    ITEMS_PER_PAGE = 20
    # The JSON API: requests allowed per personal access token in each fixed window (counted in the database).
    API_RATE_LIMIT = 120
    API_RATE_WINDOW_SECONDS = 60
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024  # one evidence file or meeting document
    INVITATION_DAYS = 7  # a colleague's invitation link works this long
    # The current fiscal year's KPI figures are kept this long once computed (the pages say "as of");
    # 0: computed on every read. Closed years are stored until their rows change (app/kpis/figure_services.py).
    KPI_CURRENT_YEAR_SECONDS = 300
    # Yearly membership fee in yen by tier (会員種別); special members are fee-exempt by rule.
    MEMBERSHIP_DUES = {"regular": 100_000, "supporting": 30_000, "special": 0}

    def __init__(self) -> None:
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or self.SQLALCHEMY_DATABASE_URI
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.SECRET_KEY
        self.BASE_URL = base_url(self.ENV_NAME, os.environ, self.BASE_URL)
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER") or self.MAIL_SERVER
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", self.MAIL_PORT))
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS", self.MAIL_USE_TLS)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or self.MAIL_USERNAME
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or self.MAIL_PASSWORD
        self.MAIL_SENDER = os.environ.get("MAIL_SENDER", self.MAIL_SENDER)
        self.MAIL_DELIVERY = os.environ.get("MAIL_DELIVERY", self.MAIL_DELIVERY)
        if self.MAIL_DELIVERY not in ("thread", "worker", "inline"):
            raise ConfigError("MAIL_DELIVERY must be thread, worker or inline")
        default_proxies = 1 if _bool("TRUST_PROXY_HEADERS") else self.TRUSTED_PROXIES
        self.TRUSTED_PROXIES = _int("TRUSTED_PROXIES", default_proxies)
        self.REMEMBER_DAYS = _int("REMEMBER_DAYS", self.REMEMBER_DAYS)
        self.KPI_CURRENT_YEAR_SECONDS = _int("KPI_CURRENT_YEAR_SECONDS", self.KPI_CURRENT_YEAR_SECONDS)
        self.REMEMBER_COOKIE_DURATION = timedelta(days=self.REMEMBER_DAYS)

    def finalise(self, instance_path: Path) -> None:
        """Fill what depends on the instance folder: the SQLite file and the development key."""
        instance_path.mkdir(parents=True, exist_ok=True)
        if not self.SQLALCHEMY_DATABASE_URI:
            self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{instance_path / 'thinkdo.sqlite3'}"
        if self.SQLALCHEMY_DATABASE_URI.startswith("postgresql://"):
            # psycopg 3 is the driver we ship.
            self.SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://" + self.SQLALCHEMY_DATABASE_URI[len("postgresql://"):]
        if self.SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg://"):
            options = self.SQLALCHEMY_ENGINE_OPTIONS
            self.SQLALCHEMY_ENGINE_OPTIONS = {**options, "connect_args": {**POSTGRES_CONNECT_ARGS, **options.get("connect_args", {})}}
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
        if len(os.environ["SECRET_KEY"].encode()) < self.MIN_SECRET_KEY_BYTES:
            raise ConfigError(
                f"SECRET_KEY must be at least {self.MIN_SECRET_KEY_BYTES} bytes in production "
                "(python3 -c 'import secrets; print(secrets.token_hex(32))')"
            )
        super().finalise(instance_path)


class TestConfig(Config):
    """Fast password hashing, e-mail kept in memory. CSRF stays on."""

    __test__ = False  # not a pytest test class
    ENV_NAME = "testing"
    TESTING = True
    MAIL_DELIVERY = "inline"
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8192
    ARGON2_PARALLELISM = 1
    KPI_CURRENT_YEAR_SECONDS = 0  # figures as of the moment: tests change rows and read the pages at once
    SECRET_KEY = "test-secret-key-not-for-production"  # tests only; production refuses short or missing keys  # noqa: S105  # nosec B105


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
