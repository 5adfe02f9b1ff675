"""Never a 500 for input: every GET route with every query parameter the app reads, and every POST
route with every form field the app defines, get out-of-range numbers, 64-bit-plus ids, NUL and other
control characters, 100 KB strings and invalid UTF-8. Routes and fields are found by walking
`app.url_map`, the sources and the FlaskForm classes, so new ones are covered without editing this file.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from flask_wtf import FlaskForm

from app.demo import load_demo
from models import db

from ..conftest import CSRF_RE

APP_DIR = Path(__file__).resolve().parents[2] / "app"
HUGE = "99999999999999999999"
# Sent raw in the query string / form body; %FF%FE is not UTF-8.
HOSTILE = {
    "huge": HUGE,
    "negative": "-1",
    "nul_and_control": "%00%1B%5B31m%07",
    "invalid_utf8_and_100KB": "%FF%FE%FD" + "A" * 100_000,
}
# The last value of each list is the usable one (an existing demo row's id).
PATH_VALUES = {"int": [HUGE, str(2**31), "1"], "default": ["%00%FF" + "A" * 5000, "x"]}
SKIP_ENDPOINTS = {"static", "auth.logout"}  # logging out would end the walk's session
# /healthz takes no input and answers about the server: inside this walk its own connection waits on the
# test session's open write transaction and it rightly reports 503; its answers are tested in test_health.py.
SKIP_GET_ENDPOINTS = SKIP_ENDPOINTS | {"main.healthz"}


def query_parameters() -> list[str]:
    """Every query parameter name the app reads (args.get / getlist / from_args)."""
    names = {"page", "per_page", "next"}
    for path in APP_DIR.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"args\.(?:get|getlist)\(\s*[\"'](\w+)[\"']", text))
        names.update(re.findall(r"args\[[\"'](\w+)[\"']\]", text))
        names.update(re.findall(r"_arg\(\s*[\"'](\w+)[\"']", text))
        names.update(re.findall(r"_enum_arg\(\w+, [\"'](\w+)[\"']", text))
        for keys in re.findall(r"args\.get\(\w+[^\n]*for \w+ in \(([^)]*)\)", text):
            names.update(re.findall(r"[\"'](\w+)[\"']", keys))
    return sorted(names)


def form_fields() -> list[str]:
    """Every field name of every FlaskForm in the app (subforms' prefixed names included)."""
    import app as package  # noqa: F401 - the forms are imported with the blueprints

    names: set[str] = set()
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        for name in dir(form_class):
            field = getattr(form_class, name, None)
            if hasattr(field, "field_class"):
                names.add(name)
                if getattr(field, "field_class").__name__ == "FieldList":
                    names.update(f"{name}-{i}-{sub}" for i in range(3) for sub in ("start_month", "end_month", "note"))
    names.discard("csrf_token")
    return sorted(names)


def urls_for(rule) -> list[str]:
    """The rule with each path argument set to every path value of its converter."""
    urls = [rule.rule]
    for argument, converter in rule._converters.items():
        kind = "int" if converter.__class__.__name__.endswith("IntegerConverter") else "default"
        values = ["%00", "ics", "csv"] if argument == "fmt" else PATH_VALUES[kind]
        placeholder = _placeholder(rule, argument)
        urls = [u.replace(placeholder, v) for u in urls for v in values]
    return urls


def _placeholder(rule, argument: str) -> str:
    match = re.search(r"<([^<>]*:)?" + re.escape(argument) + r">", rule.rule)
    return match.group(0)


@pytest.fixture
def demo_client(client, login_as):
    logins = load_demo()
    db.session.commit()
    from models import User
    from sqlalchemy import select

    staff = db.session.scalar(select(User).where(User.email == "secretariat@demo.example"))
    assert staff is not None, logins
    return client


def _assert_no_500(response, what: str, failures: list[str]) -> None:
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what[:200]}")


def _walk_get(client, failures: list[str]) -> int:
    params = query_parameters()
    sent = 0
    for rule in client.application.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIP_GET_ENDPOINTS:
            continue
        urls = urls_for(rule)
        for url in urls:
            _assert_no_500(client.get(url), f"GET {url}", failures)
            sent += 1
        usable = urls[-1]  # path ids of existing rows ("1"), so the query reaches the view's code
        for label, value in HOSTILE.items():
            query = "&".join(f"{name}={value}" for name in params)
            _assert_no_500(client.get(f"{usable}?{query}"), f"GET {usable} all parameters={label}", failures)
            sent += 1
    return sent


def _walk_post(client, failures: list[str]) -> int:
    fields = form_fields()
    sent = 0
    token = CSRF_RE.search(client.get("/dashboard").get_data(as_text=True)).group(1)
    for rule in client.application.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in SKIP_ENDPOINTS:
            continue
        for url in urls_for(rule)[-1:]:
            for label, value in HOSTILE.items():
                body = f"csrf_token={token}&" + "&".join(f"{quote(name)}={value}" for name in fields)
                response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
                _assert_no_500(response, f"POST {url} every field={label}", failures)
                sent += 1
    return sent


def _login(client, email: str) -> None:
    token = CSRF_RE.search(client.get("/auth/login").get_data(as_text=True)).group(1)
    response = client.post("/auth/login", data={"csrf_token": token, "email": email, "password": "thinkdo-demo-2026"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


@pytest.mark.slow
@pytest.mark.parametrize("who", ["secretariat@demo.example"])
def test_no_get_route_answers_hostile_query_input_with_a_500(demo_client, who):
    _login(demo_client, who)
    failures: list[str] = []
    sent = _walk_get(demo_client, failures)
    assert sent > 300
    assert failures == []


@pytest.mark.slow
@pytest.mark.parametrize("who", ["secretariat@demo.example", "applicant@demo.example"])
def test_no_post_route_answers_hostile_form_input_with_a_500(demo_client, who):
    _login(demo_client, who)
    failures: list[str] = []
    sent = _walk_post(demo_client, failures)
    assert sent > 100
    assert failures == []


def test_the_walk_finds_the_parameters_and_fields_that_broke_before():
    assert {"page", "q", "year", "from_trial", "exclude"} <= set(query_parameters())
    assert {"title", "body", "submission_key", "file"} <= set(form_fields())


def test_nul_in_a_form_is_refused_with_a_message(demo_client):
    _login(demo_client, "applicant@demo.example")
    token = CSRF_RE.search(demo_client.get("/needs/new").get_data(as_text=True)).group(1)
    response = demo_client.post("/needs/new", data={"csrf_token": token, "title": "ドローン\x00", "save_draft": "1"})
    assert response.status_code == 400
    assert "制御文字" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/needs/?page=" + HUGE, "/needs/?page=-5", "/needs/?page=abc"])
def test_a_page_beyond_the_last_shows_the_last_page(demo_client, url):
    response = demo_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/needs/" + HUGE, "/needs/" + str(2**31), "/needs/new?from_trial=" + HUGE,
                                 "/trials/requests/" + HUGE])
def test_ids_beyond_the_column_range_are_404(demo_client, url):
    _login(demo_client, "applicant@demo.example")
    assert demo_client.get(url).status_code == 404


@pytest.mark.parametrize("year", ["99999", "-1", "abc"])
def test_activity_years_out_of_range_show_the_current_year(demo_client, year):
    _login(demo_client, "secretariat@demo.example")
    assert demo_client.get(f"/groups/activity?year={year}").status_code == 200
