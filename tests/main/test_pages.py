"""Public pages, language, error pages, security headers and the health check."""
from __future__ import annotations

import pytest
from flask import abort

from ..conftest import csrf_token


def test_home_is_japanese_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="ja">' in html and "道央シンク＆ドゥタンク" in html


@pytest.mark.parametrize("cookie", ["fr", "xx", "", "ja"])
def test_unknown_language_falls_back_to_japanese(client, cookie):
    client.set_cookie("lang", cookie)
    assert '<html lang="ja">' in client.get("/").get_data(as_text=True)


def test_language_switch_is_remembered(client):
    token = csrf_token(client, "/")
    response = client.post("/language", data={"lang": "en", "next": "/auth/login", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "Private proposal window" in html


def test_language_switch_refuses_offsite_next(client):
    token = csrf_token(client, "/")
    response = client.post("/language", data={"lang": "en", "next": "https://evil.example/", "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_language_is_kept_on_the_account(client, login_as, member):
    login_as(member)
    token = csrf_token(client, "/dashboard")
    client.post("/language", data={"lang": "en", "csrf_token": token})
    from models import db

    db.session.refresh(member)
    assert member.locale == "en"


def test_language_switch_without_csrf_is_refused(client):
    assert client.post("/language", data={"lang": "en"}).status_code == 400


@pytest.mark.parametrize("lang,text", [("ja", "ページが見つかりません"), ("en", "Not found")])
def test_404_page_in_both_languages(client, lang, text):
    client.set_cookie("lang", lang)
    response = client.get("/no/such/page")
    assert response.status_code == 404 and text in response.get_data(as_text=True)


@pytest.fixture
def failing_routes(app, tmp_path):
    """A second app with routes that fail on purpose (routes cannot be added once an app served)."""
    from app import create_app
    from app.core.config import TestConfig

    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
    failing = create_app(config, instance_path=str(tmp_path))

    @failing.route("/_test/boom")
    def boom():
        raise RuntimeError("boom")

    @failing.route("/_test/abort/<int:code>")
    def abort_with(code):
        abort(code)

    return failing.test_client()


@pytest.mark.parametrize("code,text", [(400, "不正なリクエスト"), (403, "アクセスできません"), (413, "ファイルが大きすぎます"), (429, "試行回数が多すぎます")])
def test_error_pages(failing_routes, code, text):
    response = failing_routes.get(f"/_test/abort/{code}")
    assert response.status_code == code and text in response.get_data(as_text=True)


def test_500_page_is_friendly(failing_routes):
    response = failing_routes.get("/_test/boom")
    assert response.status_code == 500 and "サーバーエラー" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_scripts_or_styles(client):
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "onclick" not in html


def test_session_cookie_flags(client, auth, member):
    response = auth.login(member)
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok", "database": "ok"}


def test_static_assets_are_served_locally(client):
    html = client.get("/").get_data(as_text=True)
    assert "http://" not in html.split("<body>")[0] and "https://" not in html.split("<body>")[0]
    for path in ("/static/css/app.css", "/static/js/app.js"):
        with client.get(path) as response:
            assert response.status_code == 200


def test_dashboard_needs_login(client):
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/auth/login?next=" in response.headers["Location"]


def test_request_over_the_size_limit_gets_413(app, client):
    token = csrf_token(client, "/auth/login")
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/auth/login", data={"csrf_token": token, "email": too_big})
    assert response.status_code == 413 and "ファイルが大きすぎます" in response.get_data(as_text=True)


def test_form_fields_link_errors_for_screen_readers(client, post_form):
    clean = client.get("/auth/register").get_data(as_text=True)
    assert 'aria-describedby="None"' not in clean
    html = post_form("/auth/register", {"email": "not-an-address"}).get_data(as_text=True)
    assert 'aria-invalid="true"' in html and 'aria-describedby="email-error"' in html and 'id="email-error"' in html


def test_stylesheet_blocks_are_balanced():
    """An unclosed block silently swallows every rule after it (a merge once dropped a brace)."""
    import re
    from pathlib import Path

    css = re.sub(r"/\*.*?\*/", "", (Path(__file__).resolve().parents[2] / "app/static/css/app.css").read_text(), flags=re.S)
    depth = 0
    for char in css:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, "a } closes nothing"
    assert depth == 0, "a { is never closed"
