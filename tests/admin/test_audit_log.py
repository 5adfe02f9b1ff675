"""The audit log page: staff only, filters, pages, CSV export (BOM, formulas neutralised), fixed query count."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest

from models import AuditEntry, Role, db

from ..conftest import AuthActions
from ..statements import counted_statements


def _entry(action="need.updated", actor=None, object_type="regulatory_needs", object_id=1, when=None, **details):
    entry = AuditEntry(actor_id=actor.id if actor else None, action=action, object_type=object_type, object_id=object_id,
                       details=details, address="192.0.2.1")
    if when is not None:
        entry.created_at = when
    db.session.add(entry)
    return entry


@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.csv"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.MEMBER])
@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.csv"])
def test_non_staff_are_refused(client, login_as, role, path):
    login_as(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.ADMIN])
def test_staff_see_the_log(client, login_as, role):
    user = login_as(role)
    page = client.get("/admin/audit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "監査ログ" in html and "<code>login</code>" in html and user.email in html


def test_login_success_and_failure_show_on_the_page(app, client, login_as, member, secretariat):
    AuthActions(app.test_client()).login(member, password="wrong password here")
    login_as(secretariat)
    html = client.get("/admin/audit?action=login.failed").get_data(as_text=True)
    assert "<code>login.failed</code>" in html and member.email in html  # the address tried is in the details


def test_filters_by_actor_object_type_action_and_date(client, login_as, secretariat, make_user):
    alice = make_user(Role.MEMBER, name="Alice Auditee", email="alice@example.org")
    bob = make_user(Role.MEMBER, name="Bob", email="bob@example.org")
    _entry("need.updated", alice, when=datetime(2026, 4, 1, 3, 0, tzinfo=timezone.utc), marker="A1")
    _entry("need.updated", bob, when=datetime(2026, 4, 1, 3, 0, tzinfo=timezone.utc), marker="B1")
    _entry("trial.routed", alice, object_type="trial_requests", when=datetime(2026, 4, 2, 3, 0, tzinfo=timezone.utc), marker="A2")
    # 23:30 UTC on 4 April is 08:30 on 5 April in Japan: the date filter uses Japan's days.
    _entry("need.updated", alice, when=datetime(2026, 4, 4, 23, 30, tzinfo=timezone.utc), marker="A3")
    db.session.commit()
    login_as(secretariat)

    def markers(query: str) -> set[str]:
        html = client.get("/admin/audit?" + query).get_data(as_text=True)
        return {m for m in ("A1", "B1", "A2", "A3") if f"&#34;marker&#34;: &#34;{m}&#34;" in html or f'"marker": "{m}"' in html}

    assert markers("") == {"A1", "B1", "A2", "A3"}
    assert markers("actor=alice%40example") == {"A1", "A2", "A3"}
    assert markers("actor=Bob") == {"B1"}
    assert markers("object_type=trial_requests") == {"A2"}
    assert markers("action=need.updated") == {"A1", "B1", "A3"}
    assert markers("date_from=2026-04-02") == {"A2", "A3"}
    assert markers("date_to=2026-04-04") == {"A1", "B1", "A2"}
    assert markers("date_from=2026-04-05&date_to=2026-04-05") == {"A3"}
    assert markers("actor=alice&action=need.updated&date_to=2026-04-01") == {"A1"}


def test_nonsense_filters_are_ignored_not_a_500(client, login_as, secretariat):
    login_as(secretariat)
    for query in ("date_from=yesterday", "object_type=nope", "actor=" + "x" * 100_000, "page=-3"):
        assert client.get("/admin/audit?" + query).status_code == 200, query


def test_a_control_character_in_a_filter_is_refused_with_a_message(client, login_as, secretariat):
    """The app-wide guard answers NUL and other control characters with 400 and a message, never a 500."""
    login_as(secretariat)
    response = client.get("/admin/audit?action=%00")
    assert response.status_code == 400
    assert "<html" in response.get_data(as_text=True).lower()


def test_the_log_is_paginated(client, login_as, secretariat, app):
    for i in range(45):
        _entry("bulk.step", None, object_id=i)
    db.session.commit()
    login_as(secretariat)
    per_page = app.config["ITEMS_PER_PAGE"]
    first = client.get("/admin/audit?action=bulk.step").get_data(as_text=True)
    third = client.get("/admin/audit?action=bulk.step&page=3").get_data(as_text=True)
    assert first.count("<code>bulk.step</code>") == per_page
    assert third.count("<code>bulk.step</code>") == 45 - 2 * per_page
    assert 'rel="next"' in first


def test_csv_export_has_a_bom_the_filters_and_neutralised_formulas(client, login_as, secretariat, make_user):
    evil = make_user(Role.MEMBER, name="=HYPERLINK(\"http://evil.example\")", email="evil@example.org")
    _entry("need.updated", evil, note="+cmd|' /C calc'!A0")
    _entry("other.thing", evil)
    db.session.commit()
    login_as(secretariat)
    response = client.get("/admin/audit.csv?action=need.updated")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["created_at_utc", "actor_id", "actor_name", "actor_email", "action"]
    assert [row[4] for row in rows[1:]] == ["need.updated"]
    assert rows[1][2] == "'=HYPERLINK(\"http://evil.example\")"
    assert "+cmd" in rows[1][7] and not rows[1][7].startswith(("=", "+", "-", "@"))


def test_role_changes_are_audited_and_listed(client, login_as, admin, member, post_form):
    login_as(admin)
    post_form(f"/admin/users/{member.id}/role", {"role": "secretariat"}, form_page="/admin/users")
    html = client.get("/admin/audit?action=role.changed").get_data(as_text=True)
    assert "<code>role.changed</code>" in html and "<code>users:%d</code>" % member.id in html


def test_the_page_runs_the_same_number_of_queries_for_20_and_400_entries(client, login_as, secretariat, make_user):
    login_as(secretariat)

    def fill(n: int) -> None:
        actors = [make_user(Role.MEMBER) for _ in range(5)]
        for i in range(n):
            _entry("load.test", actors[i % 5], object_id=i)
        db.session.commit()

    fill(20)
    with counted_statements() as small:
        assert client.get("/admin/audit").status_code == 200
    fill(380)
    with counted_statements() as large:
        assert client.get("/admin/audit").status_code == 200
    assert len(large) == len(small), (len(small), len(large))
