"""Fixtures shared by every test: the app, a client, a CLI runner, users of every role, logging in.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names a PostgreSQL database
(`make test-postgres`). The schema is created once per session; every test starts with empty tables.
"""
from __future__ import annotations

import os
import re
from itertools import count

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import stamp
from sqlalchemy import text

from app import create_app
from app.core.config import TestConfig
from app.core.i18n import compile_catalogs
from app.core.mail import sent_messages
from models import Organisation, OrganisationStatus, Role, Sector, User, db

pytest_plugins = ["tests.trial_builders"]

DEFAULT_PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class FreshGlobalsClient(FlaskClient):
    """A test client whose requests start with an empty `g`, as they do in production.

    Tests keep one app context open (for the database); Flask reuses it for requests, so without
    this the logged-in user and the locale cached in `g` would leak from one request to the next.
    For the same reason the shared session's transaction ends before each request: in production
    every request has its own, read (deferred) or write (BEGIN IMMEDIATE on SQLite) by its method.
    """

    def open(self, *args, **kwargs):
        if has_app_context():  # a client used in another thread has none: each request brings its own
            g.__dict__.clear()
            db.session.commit()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    compile_catalogs()
    instance = tmp_path_factory.mktemp("instance")
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance / 'test.sqlite3'}"
    config.BASE_URL = "https://platform.example.org"
    application = create_app(config, instance_path=str(instance))
    application.test_client_class = FreshGlobalsClient
    with application.app_context():
        db.drop_all()
        db.create_all()
        stamp()  # create_all builds the migration head's schema; /healthz checks the stamp
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    """Every test starts with empty tables and an empty mail list, inside an app context."""
    ctx = app.app_context()
    ctx.push()
    sent_messages.clear()
    yield
    db.session.rollback()
    db.session.remove()
    _empty_tables()
    ctx.pop()


def _empty_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_serial = count(1)


@pytest.fixture
def make_organisation():
    def make(name: str | None = None, *, status=OrganisationStatus.ACTIVE, sector=Sector.INDUSTRY, **fields) -> Organisation:
        organisation = Organisation(name_ja=name or f"テスト団体{next(_serial)}", status=status, sector=sector, **fields)
        db.session.add(organisation)
        db.session.commit()
        return organisation

    return make


@pytest.fixture
def make_user(make_organisation):
    from app.auth.passwords import hash_password

    def make(role: Role = Role.MEMBER, *, email: str | None = None, password: str = DEFAULT_PASSWORD,
             organisation: Organisation | None = None, locale: str = "ja", **fields) -> User:
        if organisation is None and role in (Role.MEMBER, Role.APPLICANT):
            status = OrganisationStatus.ACTIVE if role == Role.MEMBER else OrganisationStatus.APPLICANT
            organisation = make_organisation(status=status)
        user = User(
            email=email or f"user{next(_serial)}@example.org",
            name=fields.pop("name", f"利用者 {role.value}"),
            password_hash=hash_password(password),
            role=role,
            organisation=organisation,
            locale=locale,
            **fields,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, email="admin@example.org")


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT, email="secretariat@example.org")


@pytest.fixture
def member(make_user):
    return make_user(Role.MEMBER, email="member@example.org", is_org_admin=True)


@pytest.fixture
def applicant(make_user):
    return make_user(Role.APPLICANT, email="applicant@example.org", is_org_admin=True)


def csrf_token(client, path: str) -> str:
    """The CSRF token of the form served at `path` (CSRF stays on in tests)."""
    response = client.get(path)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1)


class AuthActions:
    """Log in and out through the real forms, as flaskr's tests do."""

    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = DEFAULT_PASSWORD, **extra):
        email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
        token = csrf_token(self._client, "/auth/login")
        return self._client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token, **extra})

    def logout(self):
        token = csrf_token(self._client, "/dashboard")
        return self._client.post("/auth/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def login_as(client, make_user):
    """`login_as(user)` or `login_as(Role.SECRETARIAT)`: logs the test client in and returns the user."""

    def login(user_or_role) -> User:
        user = make_user(user_or_role) if isinstance(user_or_role, Role) else user_or_role
        response = AuthActions(client).login(user)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return login


@pytest.fixture
def post_form(client):
    """POST to `path` with a CSRF token taken from the page at `form_page` (default: `path`)."""

    def post(path: str, data: dict | None = None, form_page: str | None = None, **kwargs):
        token = csrf_token(client, form_page or path)
        return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)

    return post
